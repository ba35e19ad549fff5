package org.labspace.connector.agreement;

import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationEvent;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessService;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessEvent;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.event.EventRouter;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.sql.QueryExecutor;
import org.eclipse.edc.sql.bootstrapper.SqlSchemaBootstrapper;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.eclipse.edc.web.spi.WebService;
import org.labspace.connector.audit.AuditApiController;
import org.labspace.connector.audit.AuditEvent;
import org.labspace.connector.audit.AuditLog;
import org.labspace.connector.audit.CatalogRequestAudit;
import org.labspace.connector.audit.NegotiationAndTransferAudit;
import org.labspace.connector.config.LabSettings;

import java.time.Clock;

/**
 * The lab's records of what happened to its data: the audit log and the revocation of agreements, both in the lab's
 * database. A revoked agreement fails every later transfer start (a pre-validator, so no policy can bypass it).
 */
@Extension(LabAgreementExtension.NAME)
@Provides({AuditLog.class, Revocations.class})
public class LabAgreementExtension implements ServiceExtension {

    public static final String NAME = "Labspace agreements and audit";

    @Setting(key = LabSettings.PARTICIPANT_ID, description = "The lab's participant id")
    private String participantId;
    @Inject
    private DataSourceRegistry dataSources;
    @Inject
    private TransactionContext transactions;
    @Inject
    private QueryExecutor queries;
    @Inject
    private SqlSchemaBootstrapper schemas;
    @Inject
    private ContractNegotiationStore negotiations;
    @Inject
    private TransferProcessStore transferStore;
    @Inject
    private TransferProcessService transfers;
    @Inject
    private EventRouter events;
    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private WebService webService;

    private AuditLog audit;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var clock = Clock.systemUTC();
        schemas.addStatementFromResource(DataSourceRegistry.DEFAULT_DATASOURCE, "labspace-schema.sql", getClass().getClassLoader());
        audit = new AuditLog(dataSources, DataSourceRegistry.DEFAULT_DATASOURCE, transactions, queries, context.getMonitor().withPrefix("audit"));
        var revocations = new Revocations(dataSources, DataSourceRegistry.DEFAULT_DATASOURCE, transactions, queries);
        context.registerService(AuditLog.class, audit);
        context.registerService(Revocations.class, revocations);

        policyEngine.registerPreValidator(TransferProcessPolicyContext.class, (policy, policyContext) -> {
            var agreement = policyContext.contractAgreement();
            var revoked = agreement == null ? null : revocations.find(agreement.getId()).orElse(null);
            if (revoked == null) {
                return true;
            }
            policyContext.reportProblem(revoked.describe());
            audit.record(AuditEvent.of(clock.instant(), "transfer", "refused", agreement.getConsumerId(), agreement.getAssetId(), agreement.getId(), null,
                    revoked.describe()));
            return false;
        });

        var eventAudit = new NegotiationAndTransferAudit(audit, negotiations, transferStore);
        events.register(ContractNegotiationEvent.class, eventAudit);
        events.register(TransferProcessEvent.class, eventAudit);
        webService.registerResource("protocol", new CatalogRequestAudit(audit, clock));

        var agreements = new AgreementService(participantId, negotiations, transferStore, transfers, revocations, audit, clock);
        webService.registerResource("management", new AgreementApiController(agreements));
        webService.registerResource("management", new AuditApiController(audit));
    }

    @Override
    public void start() {
        audit.start();
    }

    @Override
    public void shutdown() {
        audit.close();
    }
}
