package org.labspace.connector.dataplane;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.dataplane.selector.spi.DataPlaneSelectorService;
import org.eclipse.edc.connector.dataplane.spi.Endpoint;
import org.eclipse.edc.connector.dataplane.spi.edr.EndpointDataReferenceService;
import org.eclipse.edc.connector.dataplane.spi.edr.EndpointDataReferenceServiceRegistry;
import org.eclipse.edc.connector.dataplane.spi.iam.DataPlaneAccessTokenService;
import org.eclipse.edc.connector.dataplane.spi.iam.DataPlaneAuthorizationService;
import org.eclipse.edc.connector.dataplane.spi.iam.PublicEndpointGeneratorService;
import org.eclipse.edc.connector.dataplane.spi.pipeline.PipelineService;
import org.eclipse.edc.edr.spi.store.EndpointDataReferenceStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.eclipse.edc.web.spi.WebServer;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.PortMapping;
import org.eclipse.edc.web.spi.configuration.PortMappingRegistry;
import org.labspace.catalog.Vocabulary;
import org.labspace.connector.config.LabSettings;
import org.labspace.dataplane.scan.DuckDbParquetScanner;
import org.labspace.dataplane.scan.MemorySplit;
import org.labspace.dataplane.scan.ScanMemory;
import org.labspace.dataplane.stream.DecodeTurns;
import org.labspace.dataplane.scan.ParquetScanner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Labspace's Arrow data plane inside EDC: ArrowStream-PULL transfers of Labspace Parquet datasets get an endpoint
 * data reference pointing at the stream endpoint on the {@code public} web context. All registrations happen in
 * {@code initialize()}, because EDC's data plane self-registration reads them in its {@code start()}.
 */
@Extension(LabDataPlaneExtension.NAME)
public class LabDataPlaneExtension implements ServiceExtension {

    public static final String NAME = "Labspace Arrow data plane";
    public static final String CONTEXT = "public";
    public static final String PUBLIC_URL = "labspace.dataplane.public-url";
    public static final String THREADS = "labspace.dataplane.threads";
    public static final String MEMORY_MB = "labspace.dataplane.memory-mb";
    public static final String MAX_STREAMS = "labspace.dataplane.max-streams";
    public static final String TOKEN_LIFETIME = "labspace.dataplane.token-lifetime";
    public static final String STREAM_WAIT = "labspace.dataplane.stream-wait";
    public static final String DECODERS = "labspace.dataplane.decoders";
    private static final String MASK_SECRET = "labspace-mask-secret";
    /** How often a running stream asks whether its transfer and agreement still stand. */
    private static final Duration RECHECK = Duration.ofSeconds(2);

    @Setting(key = "web.http.public.port", description = "Port of the stream endpoint", defaultValue = "19291")
    private int port;
    @Setting(key = "web.http.public.path", description = "Path of the stream endpoint", defaultValue = "/public")
    private String path;
    @Setting(key = PUBLIC_URL, description = "Stream endpoint URL given to consumers", required = false)
    private String publicUrl;
    @Setting(key = THREADS, description = "DuckDB threads that decode Parquet for the streams", defaultValue = "1")
    private int threads;
    @Setting(key = MEMORY_MB, description = "Memory for reading and sending streams", defaultValue = "512")
    private int memoryMb;
    @Setting(key = MAX_STREAMS, description = "Streams sent at the same time", defaultValue = "8")
    private int maxStreams;
    @Setting(key = TOKEN_LIFETIME, description = "How long a data token opens new streams", defaultValue = "PT1H")
    private String tokenLifetime;
    @Setting(key = STREAM_WAIT, description = "How long a stream waits for a free slot and scan memory before a 503", defaultValue = "PT20S")
    private String streamWait;
    @Setting(key = DECODERS, description = "Batches decoded at the same time by all streams; the number of cores when not set", required = false)
    private Integer decoders;

    @Inject
    private org.labspace.connector.agreement.Revocations revocations;
    @Inject
    private TransactionContext transactions;
    @Inject
    private org.labspace.connector.audit.AuditLog audit;
    @Inject
    private WebService webService;
    @Inject
    private WebServer webServer;
    @Inject
    private PortMappingRegistry portMappings;
    @Inject
    private PublicEndpointGeneratorService endpoints;
    @Inject
    private EndpointDataReferenceServiceRegistry edrServices;
    @Inject
    private DataPlaneAuthorizationService authorization;
    @Inject
    private DataPlaneAccessTokenService accessTokens;
    @Inject
    private PipelineService pipelines;
    @Inject
    private TransferProcessStore transfers;
    @Inject
    private ContractNegotiationStore negotiations;
    @Inject
    private AssetIndex assets;
    @Inject
    private Vault vault;
    @Inject
    private EndpointDataReferenceStore endpointDataReferences;
    @Inject
    private DataPlaneSelectorService dataPlaneSelector;

    private ParquetScanner scanner;
    private StreamEndpoint endpoint;
    private DataPlaneRegistrationCheck registrationCheck;
    private BufferAllocator allocator;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var monitor = context.getMonitor().withPrefix("dataplane");
        portMappings.register(new PortMapping(CONTEXT, port, path));
        var url = publicUrl != null ? publicUrl : defaultUrl(context);
        endpoints.addGeneratorFunction(ArrowEndpointDataReferences.DESTINATION_TYPE, source -> Endpoint.url(url));

        var memory = MemorySplit.of(memoryMb);
        var streams = new ActiveStreams(maxStreams, RECHECK, new ScanMemory(memory.scanBudgetBytes()), Duration.parse(streamWait));
        if (!(authorization instanceof EndpointDataReferenceService tokenService)) {
            throw new EdcException("the data plane's authorization service cannot issue endpoint data references: is data-plane-iam missing?");
        }
        var references = new ArrowEndpointDataReferences(tokenService, streams);
        // EDC looks the service up by the source type when it creates a reference, by the destination type when it
        // revokes one, and advertises every key as "<key>-PULL"
        edrServices.register(Vocabulary.PARQUET_ADDRESS_TYPE, references);
        edrServices.register(ArrowEndpointDataReferences.DESTINATION_TYPE, references);
        pipelines.registerFactory(new ParquetSourceAdvertiser());

        // what does not fit spills into the lab's data folder, not the folder the lab was started from
        scanner = new DuckDbParquetScanner(threads, memory.duckDbMb(), DuckDbParquetScanner.DEFAULT_BATCH_ROWS, memory.batchBytes(maxStreams),
                Path.of(context.getConfig().getString(LabSettings.DATA_DIR)).resolve("duckdb-spill"));
        allocator = new RootAllocator(memory.arrowBytes());
        var secret = maskSecret();
        var authorizer = new StreamAuthorizer(accessTokens, transfers, negotiations, assets, Duration.parse(tokenLifetime), Clock.systemUTC(),
                agreementId -> hmac(secret, agreementId), revocations, transactions);
        // more decoders than cores only get in each other's way (docs/reliability.md)
        var turns = new DecodeTurns(decoders != null ? decoders : Runtime.getRuntime().availableProcessors());
        endpoint = new StreamEndpoint(authorizer, scanner, streams, turns, allocator, monitor, audit, Clock.systemUTC());
        registrationCheck = new DataPlaneRegistrationCheck(dataPlaneSelector, context.getComponentId(), monitor);
        webService.registerResource("management", new TransferEndpointController(endpointDataReferences, transfers));
        monitor.info("Streams served at " + url);
    }

    /** Jetty replaces a context's handler when it starts, so the servlet is added once Jetty runs (as Jersey does). */
    @Override
    public void start() {
        webServer.registerServlet(CONTEXT, new ArrowStreamServlet(endpoint));
        registrationCheck.start();
    }

    @Override
    public void shutdown() {
        if (registrationCheck != null) {
            registrationCheck.stop();
        }
        if (scanner != null) {
            scanner.close();
        }
        if (allocator != null) {
            try {
                allocator.close();
            } catch (IllegalStateException leak) {
                // streams cut by the shutdown may still hold batches; the process is ending anyway
            }
        }
    }

    private String defaultUrl(ServiceExtensionContext context) {
        var config = context.getConfig();
        var scheme = config.getString(LabSettings.TLS_KEYSTORE, null) != null ? "https" : "http";
        var host = config.getString(LabSettings.HOSTNAME, "127.0.0.1");
        return scheme + "://" + host + ":" + port + path;
    }

    /** The lab's secret for hashing masked columns: made once, kept in the vault. */
    private byte[] maskSecret() {
        var stored = vault.resolveSecret(MASK_SECRET);
        if (stored == null) {
            var bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            stored = HexFormat.of().formatHex(bytes);
            var result = vault.storeSecret(MASK_SECRET, stored);
            if (result.failed()) {
                throw new EdcException("could not keep the mask secret in the vault: " + result.getFailureDetail());
            }
        }
        return HexFormat.of().parseHex(stored);
    }

    /** One salt per agreement: hashes join within an agreement, but not across agreements or labs. */
    private static String hmac(byte[] secret, String agreementId) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(agreementId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
