package org.labspace.connector.dataset;

import org.eclipse.edc.connector.controlplane.services.spi.asset.AssetService;
import org.eclipse.edc.connector.controlplane.services.spi.catalog.CatalogService;
import org.eclipse.edc.connector.controlplane.services.spi.contractdefinition.ContractDefinitionService;
import org.eclipse.edc.connector.controlplane.services.spi.policydefinition.PolicyDefinitionService;
import org.eclipse.edc.jsonld.spi.JsonLd;
import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.protocol.dsp.catalog.http.api.v2025.controller.DspCatalogApiController20251;
import org.eclipse.edc.protocol.dsp.spi.type.Dsp2025Constants;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Violation;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;
import org.labspace.catalog.FederatedIndex;
import org.labspace.catalog.ParquetInspector;
import org.labspace.catalog.Vocabulary;
import org.labspace.connector.config.LabSettings;
import org.labspace.connector.trust.TrustedRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Wires dataset registration into the Management API and EDC's asset, policy and contract definition services. */
@Extension(LabDatasetExtension.NAME)
@org.eclipse.edc.runtime.metamodel.annotation.Provides(FederatedIndex.class)
public class LabDatasetExtension implements ServiceExtension {

    public static final String NAME = "Labspace datasets";

    @Setting(key = LabSettings.PARTICIPANT_ID, description = "The lab's participant id")
    private String participantId;
    @Inject
    private WebService webService;
    @Inject
    private AssetService assets;
    @Inject
    private ContractDefinitionService definitions;
    @Inject
    private PolicyDefinitionService policies;
    @Inject
    private TransactionContext transactions;
    @Inject
    private SingleParticipantContextSupplier participantContext;
    @Inject
    private DataAddressValidatorRegistry addressValidators;
    @Inject
    private CatalogService catalogService;
    @Inject
    private TrustedRegistry registry;
    @Inject
    private org.labspace.connector.policy.PolicyService labPolicies;
    @Setting(key = LabSettings.DATA_DIR, description = "The lab's data directory")
    private String dataDir;
    @Setting(key = LabSettings.CALLBACK_ADDRESS, description = "The lab's DSP address")
    private String callbackAddress;
    @Setting(key = CRAWL_INTERVAL, description = "How often the network's catalogs are read", defaultValue = "PT5M")
    private String crawlInterval;
    @Setting(key = PEER_TIMEOUT, description = "Time limit for reading one lab's whole catalog", defaultValue = "PT30S")
    private String peerTimeout;
    @Setting(key = PAGE_SIZE, description = "Datasets per catalog request", defaultValue = "500")
    private int pageSize;
    @Setting(key = MAX_DATASETS, description = "Most datasets accepted from one lab", defaultValue = "100000")
    private int maxDatasets;
    @Setting(key = REPLY_CACHE_MB, description = "Memory for compacted catalog entries", defaultValue = "128")
    private int replyCacheMb;
    @Inject
    private JsonLd jsonLd;

    public static final String CRAWL_INTERVAL = "labspace.catalog.crawl-interval";
    public static final String PEER_TIMEOUT = "labspace.catalog.peer-timeout";
    public static final String PAGE_SIZE = "labspace.catalog.page-size";
    public static final String MAX_DATASETS = "labspace.catalog.max-datasets-per-lab";
    public static final String REPLY_CACHE_MB = "labspace.catalog.reply-cache-mb";

    private FederatedCatalogCrawler crawler;
    private ScheduledExecutorService scheduler;
    private ExecutorService workers;
    private ExecutorService replyWorkers;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        addressValidators.registerSourceValidator(Vocabulary.PARQUET_ADDRESS_TYPE, address -> address.getStringProperty("path") == null
                ? ValidationResult.failure(Violation.violation("a " + Vocabulary.PARQUET_ADDRESS_TYPE + " address needs a 'path'", "path"))
                : ValidationResult.success());
        var service = new DatasetService(new ParquetInspector(), assets, definitions, policies, transactions, this::participantContextId,
                participantId, Clock.systemUTC(), labPolicies);
        webService.registerResource("management", new DatasetApiController(service, participantId, callbackAddress));

        var index = new FederatedIndex(Path.of(dataDir).resolve("catalog").resolve("federated.json"));
        context.registerService(FederatedIndex.class, index);
        workers = Executors.newFixedThreadPool(4, daemon("labspace-catalog-crawl"));
        crawler = new FederatedCatalogCrawler(catalogService, this::participantContext, registry::current, participantId, index, workers,
                Duration.parse(peerTimeout), pageSize, maxDatasets, Clock.systemUTC(), context.getMonitor().withPrefix("catalog"));
        webService.registerResource("management", new FederatedCatalogController(index, crawler, registry::current));
        registerCatalogReplyWriter(context);
    }

    /** This lab's own DSP 2025-1 catalog replies: compacted per dataset and cached (see {@link CatalogReplyCompaction}). */
    private void registerCatalogReplyWriter(ServiceExtensionContext context) {
        if (replyCacheMb == 0) {
            return; // EDC's generic compaction for every reply: the benchmark's baseline
        }
        var monitor = context.getMonitor().withPrefix("catalog");
        replyWorkers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), daemon("labspace-catalog-reply"));
        var compaction = new CatalogReplyCompaction(catalog -> jsonLd.compact(catalog, Dsp2025Constants.DSP_SCOPE_V_2025_1)
                .orElseThrow(f -> new EdcException("JSON-LD compaction failed: " + f.getFailureDetail())),
                new CompactedDatasets(replyCacheMb * 1024L * 1024L), replyWorkers);
        webService.registerDynamicResource(ApiContext.PROTOCOL, DspCatalogApiController20251.class, new CatalogReplyWriter(compaction, monitor));
    }

    @Override
    public void start() {
        var interval = Duration.parse(crawlInterval);
        scheduler = Executors.newSingleThreadScheduledExecutor(daemon("labspace-catalog-schedule"));
        // a first crawl soon after start, when the protocol API of this lab is up
        scheduler.scheduleWithFixedDelay(crawler::crawl, 2_000, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        if (replyWorkers != null) {
            replyWorkers.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            var thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private ParticipantContext participantContext() {
        var result = participantContext.get();
        if (result.failed()) {
            throw new EdcException("no participant context: " + result.getFailureDetail());
        }
        return result.getContent();
    }

    private String participantContextId() {
        var result = participantContext.get();
        if (result.failed()) {
            throw new EdcException("no participant context: " + result.getFailureDetail());
        }
        return result.getContent().getParticipantContextId();
    }
}
