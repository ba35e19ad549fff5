package org.labspace.connector.identity;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.labspace.connector.config.LabSettings;

/**
 * Refuses to run on EDC's mock identity unless the configuration asks for it by name, and says loudly that it is
 * insecure when it does: with the mock identity, any caller can claim to be any lab.
 */
@Extension(LabIdentityExtension.NAME)
public class LabIdentityExtension implements ServiceExtension {

    public static final String NAME = "Labspace identity";

    @Setting(key = LabSettings.IDENTITY, required = false, description = "How the connector identifies itself and its callers")
    private String identity;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (!LabSettings.IDENTITY_INSECURE_DEV.equals(identity)) {
            throw new EdcException("setting '" + LabSettings.IDENTITY + "' is " + (identity == null ? "missing" : "'" + identity + "'") +
                    ": no real identity is configured yet; for local development only, set " + LabSettings.IDENTITY + "=" + LabSettings.IDENTITY_INSECURE_DEV);
        }
        var monitor = context.getMonitor();
        var banner = "*".repeat(78);
        monitor.warning(banner);
        monitor.warning("INSECURE: labspace.identity=insecure-dev. This connector trusts any caller's claim to be any lab.");
        monitor.warning("Use it for development on one machine only; never expose this connector to a network.");
        monitor.warning(banner);
    }
}
