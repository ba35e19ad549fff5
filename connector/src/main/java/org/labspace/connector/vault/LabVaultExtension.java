package org.labspace.connector.vault;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.labspace.connector.config.LabSettings;

import java.nio.file.Path;

/** Replaces EDC's in-memory vault with one on disk, and makes sure the lab's data token keys exist in it. */
@Extension(LabVaultExtension.NAME)
public class LabVaultExtension implements ServiceExtension {

    public static final String NAME = "Labspace vault";

    @Setting(key = LabSettings.DATA_DIR, description = "The lab's data directory")
    private String dataDir;
    @Setting(key = LabSettings.SIGNER_ALIAS, description = "Alias of the data token signing key")
    private String signerAlias;
    @Setting(key = LabSettings.VERIFIER_ALIAS, description = "Alias of the data token verification key")
    private String verifierAlias;

    @Override
    public String name() {
        return NAME;
    }

    @Provider
    public Vault vault(ServiceExtensionContext context) {
        var store = new FileSecretStore(Path.of(dataDir).resolve("vault"));
        if (DataTokenKeys.ensure(store, signerAlias, verifierAlias)) {
            context.getMonitor().info("Generated the data token key pair (vault aliases %s, %s)".formatted(signerAlias, verifierAlias));
        }
        return new FileVault(store, context.getMonitor().withPrefix("vault"));
    }
}
