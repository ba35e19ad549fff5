package org.labspace.connector.policy;

import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.controlplane.services.spi.asset.AssetService;
import org.eclipse.edc.connector.controlplane.services.spi.contractdefinition.ContractDefinitionService;
import org.eclipse.edc.connector.controlplane.services.spi.policydefinition.PolicyDefinitionService;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.engine.spi.RuleBindingRegistry;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.eclipse.edc.web.spi.WebService;
import org.labspace.connector.audit.AuditLog;
import org.labspace.connector.trust.TrustedRegistry;
import org.labspace.policy.Operand;
import org.labspace.policy.Participant;

import java.time.Clock;
import java.util.Optional;

/**
 * Labspace policies in EDC: every Labspace operand has a function, bound in each scope where it must be decided
 * (an unbound constraint would be dropped silently), and {@code odrl:use} is bound in the catalog and negotiation
 * scopes, where EDC leaves it unbound. The policy API lives under the Management API: {@code /labspace/v1/policies}.
 */
@Extension(LabPolicyExtension.NAME)
@Provides(PolicyService.class)
public class LabPolicyExtension implements ServiceExtension {

    public static final String NAME = "Labspace policies";
    static final String ODRL_USE = "http://www.w3.org/ns/odrl/2/use";

    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private RuleBindingRegistry ruleBindings;
    @Inject
    private PolicyDefinitionService policies;
    @Inject
    private ContractDefinitionService contracts;
    @Inject
    private AssetService assets;
    @Inject
    private TransactionContext transactions;
    @Inject
    private SingleParticipantContextSupplier participantContext;
    @Inject
    private TransferProcessStore transferProcesses;
    @Inject
    private TrustedRegistry registry;
    @Inject
    private WebService webService;
    @Inject
    private AuditLog audit;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var clock = Clock.systemUTC();
        ruleBindings.bind(ODRL_USE, CatalogPolicyContext.CATALOG_SCOPE);
        ruleBindings.bind(ODRL_USE, ContractNegotiationPolicyContext.NEGOTIATION_SCOPE);
        // the dataset each negotiation is about, for the audit lines of refusals: only the whole policy names it
        var targets = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<Object, String>());
        policyEngine.registerPreValidator(ContractNegotiationPolicyContext.class, (policy, negotiation) -> {
            targets.put(negotiation, policy.getTarget());
            return true;
        });
        for (var operand : Operand.values()) {
            if (operand.isParticipantFact()) {
                ruleBindings.bind(operand.iri(), CatalogPolicyContext.CATALOG_SCOPE);
            }
            ruleBindings.bind(operand.iri(), ContractNegotiationPolicyContext.NEGOTIATION_SCOPE);
            ruleBindings.bind(operand.iri(), TransferProcessPolicyContext.TRANSFER_SCOPE);
            policyEngine.registerFunction(ParticipantAgentPolicyContext.class, Permission.class, operand.iri(),
                    new LabConstraintFunction(operand, clock,
                            agreementId -> org.labspace.connector.agreement.AgreementService.transfersUnder(transferProcesses, agreementId), audit, targets::get));
        }
        var service = new PolicyService(policies, contracts, assets, transactions, this::participantContextId, this::member, clock);
        context.registerService(PolicyService.class, service);
        webService.registerResource("management", new PolicyApiController(service));
    }


    private Optional<Participant> member(String participantId) {
        var member = registry.current().member(participantId);
        return member == null ? Optional.empty() : Optional.of(new Participant(member.participantId(), member.country(),
                member.organizationType(), member.accreditations(), member.isActive()));
    }

    private String participantContextId() {
        var result = participantContext.get();
        if (result.failed()) {
            throw new EdcException("no participant context: " + result.getFailureDetail());
        }
        return result.getContent().getParticipantContextId();
    }
}
