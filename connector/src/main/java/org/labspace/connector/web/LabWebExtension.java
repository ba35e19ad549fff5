package org.labspace.connector.web;

import org.eclipse.edc.api.auth.spi.ControlClientAuthenticationProvider;
import org.eclipse.edc.api.auth.spi.registry.ApiAuthenticationProviderRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.jetty.JettyService;
import org.eclipse.edc.web.spi.WebService;
import org.labspace.connector.config.LabSettings;
import org.labspace.connector.config.LabspaceApiKeyType;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Secure web defaults: every web context binds the interface its {@code web.http.<context>.host} names (loopback
 * unless configured; EDC itself binds all interfaces), routes are looked up afresh for every request ({@link FreshRoutes}),
 * Jetty's own refusals are JSON ({@link JsonErrorPages}), and the Management API key check is Labspace's exact one. The
 * Management API also carries the admin API's document ({@link AdminApiDocument}) and answers a body that is not the
 * JSON expected, or a parameter with a NUL character, with a JSON 400 ({@link JsonBodyErrors}, {@link NulCharacterFilter}).
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

    private String controlKey;
    // whether EDC's routes are all there: the protocol API answers a retryable 503 before (and while stopping)
    private final AtomicBoolean started = new AtomicBoolean();

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
            JsonErrorPages.apply(connector.getServer());
            if ("protocol".equals(connector.getName())) {
                PeerMessageRetry.install(connector.getServer(), "protocol", started::get);
            }
            monitor.debug("Web context '%s' binds %s:%d".formatted(connector.getName(), host, connector.getPort()));
        });
        authenticationProviders.register(LabspaceApiKeyType.TYPE, authConfig -> {
            var key = authConfig.getString("key", null);
            if (key == null || key.isBlank()) {
                return Result.failure("setting '" + LabSettings.MANAGEMENT_KEY + "' is missing");
            }
            return Result.success(new ApiKeyAuthenticationService(key));
        });
        controlKey = config.getString(LabSettings.CONTROL_KEY);
        webService.registerResource("management", new PeerCatalogGuard(config.getInteger("edc.http.client.timeout.read", 30)));
        webService.registerResource("management", new AdminApiDocument());
        webService.registerResource("management", new NulCharacterFilter());
        for (var mapper : JsonBodyErrors.mappers()) {
            webService.registerResource("management", mapper);
        }
        // a request that needs the database while it is down (the embedded one restarting) gets 503, not 500
        var errors = context.getMonitor().withPrefix("database");
        webService.registerResource("management", new DatabaseUnavailableMapper(errors, true));
        webService.registerResource("protocol", new DatabaseUnavailableMapper(errors, true));
        webService.registerResource("research", new DatabaseUnavailableMapper(errors, false));
    }

    @Override
    public void start() {
        // after EDC's web service, which this extension depends on, registered every route in its own start()
        started.set(true);
    }

    @Override
    public void shutdown() {
        started.set(false);
    }

    /** EDC's own calls to its control API (data plane signaling, transfer callbacks) carry the key made at start. */
    @Provider
    public ControlClientAuthenticationProvider controlApiKey() {
        var headers = Map.of(ApiKeyAuthenticationService.HEADER, controlKey);
        return () -> headers;
    }
}
