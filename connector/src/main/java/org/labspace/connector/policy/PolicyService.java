package org.labspace.connector.policy;

import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractDefinition;
import org.eclipse.edc.connector.controlplane.policy.spi.PolicyDefinition;
import org.eclipse.edc.connector.controlplane.services.spi.asset.AssetService;
import org.eclipse.edc.connector.controlplane.services.spi.contractdefinition.ContractDefinitionService;
import org.eclipse.edc.connector.controlplane.services.spi.policydefinition.PolicyDefinitionService;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.labspace.catalog.RegisteredDataset;
import org.labspace.catalog.Vocabulary;
import org.labspace.policy.CompiledPolicy;
import org.labspace.policy.LabPolicy;
import org.labspace.policy.OdrlCompiler;
import org.labspace.policy.Participant;
import org.labspace.policy.PolicyException;
import org.labspace.policy.PolicyExplainer;
import org.labspace.policy.PolicyProblem;
import org.labspace.policy.PolicyReader;
import org.labspace.policy.PolicyValidator;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Policies as policy officers write them, stored as EDC policy and contract definitions: the access definition
 * carries the policy's id, each rule and purpose its own offer ({@code policy~rule~purpose}). Every definition is
 * marked with the policy it belongs to, so the policy can be shown, replaced and explained as one.
 */
public final class PolicyService {

    /** Private property marking the definitions of one Labspace policy. */
    public static final String POLICY = "https://w3id.org/labspace/v1/policy";
    static final String DESCRIPTION = "https://w3id.org/labspace/v1/policyDescription";
    private static final int PAGE = 500;

    private final PolicyDefinitionService policies;
    private final ContractDefinitionService contracts;
    private final AssetService assets;
    private final TransactionContext transactions;
    private final Supplier<String> participantContextId;
    private final Function<String, Optional<Participant>> members;
    private final Clock clock;

    public PolicyService(PolicyDefinitionService policies, ContractDefinitionService contracts, AssetService assets, TransactionContext transactions,
                         Supplier<String> participantContextId, Function<String, Optional<Participant>> members, Clock clock) {
        this.policies = policies;
        this.contracts = contracts;
        this.assets = assets;
        this.transactions = transactions;
        this.participantContextId = participantContextId;
        this.members = members;
        this.clock = clock;
    }

    /** What {@link #apply} stored. */
    public record Applied(LabPolicy policy, CompiledPolicy compiled, boolean created, List<String> datasets) {
    }

    /** Reads and validates a policy file, with the columns of the datasets already under a policy of that id. */
    public LabPolicy validate(String file, String text) {
        try {
            var policy = PolicyReader.read(file, text);
            PolicyValidator.validate(policy, today(), datasetsUnder(policy.id()));
            return policy;
        } catch (PolicyException e) {
            throw refused(e);
        }
    }

    /** Validates, then creates or replaces the policy's definitions; offers the policy no longer has are removed. */
    public synchronized Applied apply(String file, String text) {
        var policy = validate(file, text);
        var existing = policies.findById(policy.id());
        if (existing != null && !policy.id().equals(existing.getPrivateProperties().get(POLICY))) {
            throw new PolicyRequestException(409, "the policy definition '" + policy.id() + "' exists and was not made by Labspace; choose another id", List.of());
        }
        var compiled = OdrlCompiler.compile(policy);
        var stale = definitionsOf(policy.id()).stream().map(PolicyDefinition::getId)
                .filter(id -> !id.equals(policy.id()) && compiled.offers().stream().noneMatch(o -> o.definitionId().equals(id))).toList();
        try {
            transactions.execute(() -> {
                put(definition(policy.id(), policy, compiled.access()));
                for (var offer : compiled.offers()) {
                    put(definition(offer.definitionId(), policy, offer.policy()));
                    var contract = ContractDefinition.Builder.newInstance()
                            .id(offer.definitionId())
                            .participantContextId(participantContextId.get())
                            .accessPolicyId(policy.id())
                            .contractPolicyId(offer.definitionId())
                            .assetsSelectorCriterion(new Criterion(Vocabulary.OFFER, "=", RegisteredDataset.offerKey(policy.id(), policy.id())))
                            .build();
                    if (contracts.findById(offer.definitionId()) == null) {
                        orThrow(contracts.create(contract), "creating the offer " + offer.definitionId());
                    } else {
                        orThrow(contracts.update(contract), "replacing the offer " + offer.definitionId());
                    }
                }
                for (var id : stale) {
                    if (contracts.findById(id) != null) {
                        orThrow(contracts.delete(id), "removing the offer " + id);
                    }
                    orThrow(policies.deleteById(id), "removing the policy definition " + id);
                }
            });
        } catch (org.eclipse.edc.spi.EdcException e) {
            // EDC's transaction context wraps what escapes it; the refusal is the cause
            if (e.getCause() instanceof PolicyRequestException refusal) {
                throw refusal;
            }
            throw e;
        }
        return new Applied(policy, compiled, existing == null, List.copyOf(datasetsUnder(policy.id()).keySet()));
    }

    /** A stored Labspace policy, read back from its definitions. */
    public Optional<LabPolicy> find(String id) {
        var access = policies.findById(id);
        if (access == null || !id.equals(access.getPrivateProperties().get(POLICY))) {
            return Optional.empty();
        }
        var offers = new LinkedHashMap<String, org.labspace.policy.Odrl.Policy>();
        definitionsOf(id).stream().filter(d -> !d.getId().equals(id)).forEach(d -> offers.put(d.getId(), EdcPolicies.fromEdc(d.getPolicy())));
        try {
            return Optional.of(OdrlCompiler.decompile(id, String.valueOf(access.getPrivateProperties().getOrDefault(DESCRIPTION, "")),
                    EdcPolicies.fromEdc(access.getPolicy()), offers));
        } catch (PolicyException e) {
            throw refused(e);
        }
    }

    /**
     * Any stored policy definition in the readable form: a Labspace policy whole, another definition as a
     * one-rule policy. A definition holding constraints Labspace cannot evaluate is refused with the reason.
     */
    public LabPolicy show(String id) {
        var labspace = find(id);
        if (labspace.isPresent()) {
            return labspace.get();
        }
        var definition = policies.findById(id);
        if (definition == null) {
            throw new PolicyRequestException(404, "no policy '" + id + "' in this lab", List.of());
        }
        var owner = definition.getPrivateProperties().get(POLICY);
        if (owner != null) {
            return show(String.valueOf(owner));
        }
        try {
            return OdrlCompiler.decompile(id, "", null, Map.of(id, EdcPolicies.fromEdc(definition.getPolicy())));
        } catch (PolicyException e) {
            throw refused(e);
        }
    }

    /** Every Labspace policy of this lab. */
    public List<LabPolicy> list() {
        var ids = new LinkedHashSet<String>();
        all().forEach(d -> {
            if (d.getId().equals(d.getPrivateProperties().get(POLICY))) {
                ids.add(d.getId());
            }
        });
        return ids.stream().map(this::find).flatMap(Optional::stream).toList();
    }

    /** The dry run for a participant of the network, with its registry facts. */
    public PolicyExplainer.Explanation explain(String id, String participantId, String purpose) {
        var policy = find(id).orElseThrow(() -> new PolicyRequestException(404, "no Labspace policy '" + id + "' in this lab", List.of()));
        if (purpose == null || !org.labspace.policy.Purpose.isKnown(purpose)) {
            throw new PolicyRequestException(400, "unknown purpose '" + purpose + "'; known: " + String.join(", ", org.labspace.policy.Purpose.ALL), List.of());
        }
        var participant = participantId == null ? Optional.<Participant>empty() : members.apply(participantId);
        return PolicyExplainer.explain(policy, participant.orElse(null), purpose, clock.instant());
    }

    /** The columns of each dataset registered under policy {@code id}, for validation. */
    public Map<String, Set<String>> datasetsUnder(String id) {
        var out = new LinkedHashMap<String, Set<String>>();
        for (var offset = 0; ; offset += PAGE) {
            var page = orThrow(assets.search(QuerySpec.Builder.newInstance()
                    .filter(new Criterion(Vocabulary.OFFER, "=", RegisteredDataset.offerKey(id, id)))
                    .offset(offset).limit(PAGE).sortField("id").build()), "listing the datasets under " + id);
            for (var asset : page) {
                var dataset = RegisteredDataset.fromProperties(asset.getId(), asset.getProperties(), asset.getPrivateProperties());
                var columns = new LinkedHashSet<String>();
                dataset.profile().columns().forEach(c -> columns.add(c.name()));
                out.put(asset.getId(), columns);
            }
            if (page.size() < PAGE) {
                return out;
            }
        }
    }

    private PolicyDefinition definition(String id, LabPolicy policy, org.labspace.policy.Odrl.Policy odrl) {
        return PolicyDefinition.Builder.newInstance()
                .id(id)
                .participantContextId(participantContextId.get())
                .policy(EdcPolicies.toEdc(odrl))
                .privateProperty(POLICY, policy.id())
                .privateProperty(DESCRIPTION, policy.description())
                .build();
    }

    private void put(PolicyDefinition definition) {
        if (policies.findById(definition.getId()) == null) {
            orThrow(policies.create(definition), "storing the policy definition " + definition.getId());
        } else {
            orThrow(policies.update(definition), "replacing the policy definition " + definition.getId());
        }
    }

    private List<PolicyDefinition> definitionsOf(String id) {
        return all().stream().filter(d -> id.equals(d.getPrivateProperties().get(POLICY))).toList();
    }

    private List<PolicyDefinition> all() {
        var out = new ArrayList<PolicyDefinition>();
        for (var offset = 0; ; offset += PAGE) {
            var page = orThrow(policies.search(QuerySpec.Builder.newInstance().offset(offset).limit(PAGE).sortField("id").build()), "listing policies");
            out.addAll(page);
            if (page.size() < PAGE) {
                return out;
            }
        }
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    private static PolicyRequestException refused(PolicyException e) {
        var problems = e.problems().stream().map(PolicyProblem::toString).toList();
        return new PolicyRequestException(400, problems.size() == 1 ? "the policy is refused: " + problems.get(0)
                : "the policy is refused: " + problems.size() + " problems", problems);
    }

    // a failure inside a transaction must throw, or what was written before it would be committed
    private static <T> T orThrow(ServiceResult<T> result, String what) {
        if (result.failed()) {
            var status = switch (result.reason()) {
                case CONFLICT -> 409;
                case NOT_FOUND -> 404;
                case BAD_REQUEST -> 400;
                default -> 500;
            };
            throw new PolicyRequestException(status, what + " failed: " + result.getFailureDetail(), List.of());
        }
        return result.getContent();
    }
}
