package org.labspace.connector.research;

import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationEvent;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessEvent;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.event.EventRouter;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.sql.QueryExecutor;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.PortMapping;
import org.eclipse.edc.web.spi.configuration.PortMappingRegistry;
import org.labspace.catalog.FederatedIndex;

import java.time.Clock;

/**
 * The research API: its own web context ({@code research}), reached by the lab's researchers with keys the lab
 * administrator issues ({@code /labspace/v1/researchers} on the Management API, {@code bin/labspace researcher}).
 */
@Extension(LabResearchExtension.NAME)
public class LabResearchExtension implements ServiceExtension {

    public static final String NAME = "Labspace research API";
    public static final String CONTEXT = "research";

    @Setting(key = org.labspace.connector.config.LabSettings.PARTICIPANT_ID, description = "The lab's participant id")
    private String participantId;
    @Setting(key = "web.http.research.port", description = "Port of the research API", defaultValue = "19195")
    private int port;
    @Setting(key = "web.http.research.path", description = "Path of the research API", defaultValue = "/research")
    private String path;
    @Setting(key = "labspace.research.transfer-reuse", defaultValue = "PT5M",
            description = "How long a researcher's running transfer is reused for another read of the same dataset and purpose (PT0S: a new transfer every time); keep it below the providers' labspace.dataplane.token-lifetime")
    private String transferReuse;
    @Inject
    private PortMappingRegistry portMappings;
    @Inject
    private EventRouter events;
    @Inject
    private WebService webService;
    @Inject
    private DataSourceRegistry dataSources;
    @Inject
    private TransactionContext transactions;
    @Inject
    private QueryExecutor queries;
    @Inject
    private FederatedIndex index;
    @Inject
    private org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore negotiations;
    @Inject
    private org.labspace.connector.trust.TrustedRegistry registry;
    @Inject
    private org.labspace.connector.audit.AuditLog audit;
    @Inject
    private org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore transfers;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        portMappings.register(new PortMapping(CONTEXT, port, path));
        // the table is created with the lab's other tables (labspace-schema.sql, LabAgreementExtension)
        var keys = new ResearcherKeys(dataSources, DataSourceRegistry.DEFAULT_DATASOURCE, transactions, queries, Clock.systemUTC());
        webService.registerResource("management", new ResearcherAdminController(keys));
        webService.registerResource(CONTEXT, new ResearcherAuthFilter(keys));
        var management = new org.labspace.connector.client.ManagementClient(ownManagementApi(context),
                context.getConfig().getString("web.http.management.auth.key"), java.time.Duration.ofSeconds(60));
        java.time.Duration reuse;
        try {
            reuse = java.time.Duration.parse(transferReuse);
        } catch (java.time.format.DateTimeParseException e) {
            throw new org.eclipse.edc.spi.EdcException("labspace.research.transfer-reuse must be an ISO-8601 duration such as PT5M, got '" + transferReuse + "'");
        }
        if (reuse.isNegative()) {
            throw new org.eclipse.edc.spi.EdcException("labspace.research.transfer-reuse must not be negative, got '" + transferReuse + "'");
        }
        var signals = new ProcessSignals();
        events.registerSync(ContractNegotiationEvent.class, signals);
        events.registerSync(TransferProcessEvent.class, signals);
        var access = new AccessService(participantId, management, negotiations, registry::current, audit, Clock.systemUTC(), transfers, reuse, signals);
        webService.registerResource(CONTEXT, new ResearchApiController(index, access));
        webService.registerResource(CONTEXT, new ResearchApiDocument());
        webService.registerResource(CONTEXT, new org.labspace.connector.web.NulCharacterFilter());
        for (var mapper : org.labspace.connector.web.JsonBodyErrors.mappers()) {
            webService.registerResource(CONTEXT, mapper);
        }
    }

    /** This lab's Management API as a local client reaches it: access negotiates and transfers through it. */
    private static java.net.URI ownManagementApi(ServiceExtensionContext context) {
        var config = context.getConfig();
        var host = config.getString("web.http.management.host", "127.0.0.1");
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        var tls = config.getString(org.labspace.connector.config.LabSettings.TLS_KEYSTORE, null) != null;
        return java.net.URI.create((tls ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + config.getInteger("web.http.management.port", 19193) + config.getString("web.http.management.path", "/management"));
    }
}
