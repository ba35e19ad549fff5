package org.labspace.connector.web;

import org.eclipse.edc.api.auth.spi.registry.ApiAuthenticationProviderRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.jetty.JettyService;
import org.eclipse.edc.web.spi.WebService;
import org.labspace.connector.config.LabSettings;
import org.labspace.connector.config.LabspaceApiKeyType;

/**
 * Secure web defaults: every web context binds the interface its {@code web.http.<context>.host} names (loopback
 * unless configured; EDC itself binds all interfaces), routes are looked up afresh for every request ({@link FreshRoutes}),
 * and the Management API key check is Labspace's exact one.
 */
@Extension(LabWebExtension.NAME)
public class LabWebExtension implements ServiceExtension {

    public static final String NAME = "Labspace web";
    public static final String DEFAULT_HOST = "127.0.0.1";

    @Inject
    private JettyService jettyService;
    @Inject
    private ApiAuthenticationProviderRegistry authenticationProviders;
    @Inject
    private WebService webService;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var config = context.getConfig();
        var monitor = context.getMonitor().withPrefix("web");
        // connectors are named after their web context
        jettyService.addConnectorConfigurationCallback(connector -> {
            var host = config.getString(LabSettings.webKey(connector.getName(), "host"), DEFAULT_HOST);
            connector.setHost(host);
            FreshRoutes.apply(connector.getServer());
            monitor.debug("Web context '%s' binds %s:%d".formatted(connector.getName(), host, connector.getPort()));
        });
        authenticationProviders.register(LabspaceApiKeyType.TYPE, authConfig -> {
            var key = authConfig.getString("key", null);
            if (key == null || key.isBlank()) {
                return Result.failure("setting '" + LabSettings.MANAGEMENT_KEY + "' is missing");
            }
            return Result.success(new ApiKeyAuthenticationService(key));
        });
        webService.registerResource("management", new PeerCatalogGuard(config.getInteger("edc.http.client.timeout.read", 30)));
        webService.registerResource("protocol", new BusyEntityFilter());
        // a request that needs the database while it is down (the embedded one restarting) gets 503, not 500
        var errors = context.getMonitor().withPrefix("database");
        webService.registerResource("management", new DatabaseUnavailableMapper(errors, true));
        webService.registerResource("protocol", new DatabaseUnavailableMapper(errors, true));
        webService.registerResource("research", new DatabaseUnavailableMapper(errors, false));
    }
}
