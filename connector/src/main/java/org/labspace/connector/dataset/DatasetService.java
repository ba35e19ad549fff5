package org.labspace.connector.dataset;

import org.labspace.connector.policy.PolicyService;
import org.labspace.policy.PolicyException;
import org.labspace.policy.PolicyProblem;
import org.labspace.policy.PolicyValidator;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractDefinition;
import org.eclipse.edc.connector.controlplane.services.spi.asset.AssetService;
import org.eclipse.edc.connector.controlplane.services.spi.contractdefinition.ContractDefinitionService;
import org.eclipse.edc.connector.controlplane.services.spi.policydefinition.PolicyDefinitionService;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.labspace.catalog.DatasetException;
import org.labspace.catalog.DatasetRegistration;
import org.labspace.catalog.ParquetInspector;
import org.labspace.catalog.RegisteredDataset;
import org.labspace.catalog.Vocabulary;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Registers Parquet datasets as EDC assets offered under a pair of policies. The asset is the dataset's record: its
 * public properties are what the catalog shows, its private ones where the files are.
 * <p>
 * All datasets offered under the same access and usage policies share one contract definition, which selects them
 * by their offer property: EDC's catalog tests every asset against every definition, so one definition per
 * dataset would make a large catalog slow. Withdrawing a dataset changes its offer property, so no definition
 * selects it any more, while the asset stays for the agreements that name it.
 */
public class DatasetService {

    static final String DEFINITION_PREFIX = "labspace-offer.";
    private static final int PAGE = 1000;

    private final ParquetInspector inspector;
    private final AssetService assets;
    private final ContractDefinitionService definitions;
    private final PolicyDefinitionService policies;
    private final TransactionContext transactions;
    private final Supplier<String> participantContextId;
    private final String labId;
    private final Clock clock;
    private final PolicyService labPolicies;

    public DatasetService(ParquetInspector inspector, AssetService assets, ContractDefinitionService definitions, PolicyDefinitionService policies,
                          TransactionContext transactions, Supplier<String> participantContextId, String labId, Clock clock, PolicyService labPolicies) {
        this.inspector = inspector;
        this.assets = assets;
        this.definitions = definitions;
        this.policies = policies;
        this.transactions = transactions;
        this.participantContextId = participantContextId;
        this.labId = labId;
        this.clock = clock;
        this.labPolicies = labPolicies;
    }

    public RegisteredDataset register(DatasetRegistration registration) {
        check(registration);
        if (assets.findById(registration.id()) != null) {
            throw new DatasetRequestException(409, "dataset '" + registration.id() + "' already exists; use update to change it");
        }
        var dataset = new RegisteredDataset(registration, inspect(registration.path()), 1, clock.instant(), null);
        offer(dataset);
        transactions.execute(() -> orThrow(assets.create(asset(dataset)), "cannot create the asset for '" + registration.id() + "'"));
        return dataset;
    }

    /** Replaces the description and reads the files again; the version goes up when their content changed. */
    public RegisteredDataset update(String id, DatasetRegistration registration) {
        if (!id.equals(registration.id())) {
            throw new DatasetRequestException(400, "the body's id '" + registration.id() + "' differs from the dataset '" + id + "' in the path");
        }
        check(registration);
        var existing = get(id);
        var profile = inspect(registration.path());
        var version = profile.fingerprint().equals(existing.profile().fingerprint()) ? existing.version() : existing.version() + 1;
        var dataset = new RegisteredDataset(registration, profile, version, existing.issued(), null);
        offer(dataset);
        transactions.execute(() -> orThrow(assets.update(asset(dataset)), "cannot update the asset for '" + id + "'"));
        return dataset;
    }

    /** Takes the dataset out of the catalog; its record and the agreements naming it stay. */
    public RegisteredDataset withdraw(String id) {
        var existing = get(id);
        if (!existing.offered()) {
            return existing;
        }
        var dataset = new RegisteredDataset(existing.registration(), existing.profile(), existing.version(), existing.issued(), clock.instant());
        transactions.execute(() -> orThrow(assets.update(asset(dataset)), "cannot withdraw '" + id + "'"));
        return dataset;
    }

    public RegisteredDataset get(String id) {
        var asset = assets.findById(id);
        if (asset == null || !Vocabulary.KIND_DATASET.equals(asset.getProperty(Vocabulary.KIND))) {
            throw new DatasetRequestException(404, "no dataset '" + id + "' in this lab");
        }
        return RegisteredDataset.fromProperties(id, asset.getProperties(), asset.getPrivateProperties());
    }

    public List<RegisteredDataset> list(boolean includeWithdrawn) {
        var result = new ArrayList<RegisteredDataset>();
        for (var offset = 0; ; offset += PAGE) {
            var page = orThrow(assets.search(QuerySpec.Builder.newInstance()
                    .filter(new Criterion(Vocabulary.KIND, "=", Vocabulary.KIND_DATASET))
                    .offset(offset).limit(PAGE).sortField("id").build()), "cannot list datasets");
            for (var asset : page) {
                var dataset = RegisteredDataset.fromProperties(asset.getId(), asset.getProperties(), asset.getPrivateProperties());
                if (includeWithdrawn || dataset.offered()) {
                    result.add(dataset);
                }
            }
            if (page.size() < PAGE) {
                return result;
            }
        }
    }

    private void check(DatasetRegistration registration) {
        var problems = registration.problems();
        if (!problems.isEmpty()) {
            throw new DatasetRequestException(400, "the dataset registration has problems", problems);
        }
        for (var policy : List.of(registration.accessPolicy(), registration.usagePolicy())) {
            if (policies.findById(policy) == null) {
                throw new DatasetRequestException(400, "unknown policy '" + policy + "': apply it first (bin/labspace policy apply, or /labspace/v1/policies)");
            }
        }
    }

    /**
     * Under a Labspace policy, the policy's own offers select the dataset; its restrictions must name only columns
     * the dataset has. Under a pair of plain policy definitions, the pair's shared contract definition does.
     */
    private void offer(RegisteredDataset dataset) {
        var registration = dataset.registration();
        if (registration.accessPolicy().equals(registration.usagePolicy())) {
            var policy = labPolicies.find(registration.accessPolicy());
            if (policy.isPresent()) {
                var columns = new java.util.LinkedHashSet<String>();
                dataset.profile().columns().forEach(c -> columns.add(c.name()));
                try {
                    PolicyValidator.validate(policy.get(), LocalDate.now(clock.withZone(ZoneOffset.UTC)), Map.of(registration.id(), columns));
                } catch (PolicyException e) {
                    throw new DatasetRequestException(400, "policy '" + policy.get().id() + "' does not fit the dataset",
                            e.problems().stream().map(PolicyProblem::message).toList());
                }
                return;
            }
        }
        ensureOffer(registration);
    }

    private org.labspace.catalog.DatasetProfile inspect(String path) {
        try {
            return inspector.inspect(Path.of(path));
        } catch (DatasetException e) {
            throw new DatasetRequestException(400, e.getMessage());
        }
    }

    /**
     * Makes the shared contract definition of a policy pair, in its own transaction and one registration at a time:
     * two registrations racing to create it would make one of them fail. A definition selecting no dataset yet is
     * harmless, so it is kept even if the dataset's own registration then fails.
     */
    private synchronized void ensureOffer(DatasetRegistration registration) {
        var offer = RegisteredDataset.offerKey(registration.accessPolicy(), registration.usagePolicy());
        var id = DEFINITION_PREFIX + registration.accessPolicy() + "." + registration.usagePolicy();
        if (transactions.execute(() -> definitions.findById(id)) != null) {
            return;
        }
        transactions.execute(() -> orThrow(definitions.create(ContractDefinition.Builder.newInstance()
                .id(id)
                .participantContextId(participantContextId.get())
                .accessPolicyId(registration.accessPolicy())
                .contractPolicyId(registration.usagePolicy())
                .assetsSelectorCriterion(new Criterion(Vocabulary.OFFER, "=", offer))
                .build()), "cannot create the contract definition " + id));
    }

    private Asset asset(RegisteredDataset dataset) {
        return Asset.Builder.newInstance()
                .id(dataset.id())
                .participantContextId(participantContextId.get())
                .properties(dataset.publicProperties(labId))
                .privateProperties(dataset.privateProperties())
                .dataAddress(DataAddress.Builder.newInstance()
                        .type(Vocabulary.PARQUET_ADDRESS_TYPE)
                        .property("path", dataset.registration().path())
                        .build())
                .build();
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
            throw new DatasetRequestException(status, what + ": " + result.getFailureDetail());
        }
        return result.getContent();
    }
}
