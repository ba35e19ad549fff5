package org.labspace.connector.dataset;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.edc.jsonld.TitaniumJsonLd;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reply must be exactly what EDC's generic JSON-LD compaction gives for the same catalog, with the real DSP
 * 2025-1 context, on first request, on repeated requests (fresh offer ids) and after a dataset changed.
 */
class CatalogReplyCompactionTest {

    private static final String SCOPE = "test-dsp";
    private static final String ODRL = "http://www.w3.org/ns/odrl/2/";
    private static final String DCT = "http://purl.org/dc/terms/";
    private static final String DCAT = "http://www.w3.org/ns/dcat#";
    private static final String LABSPACE = "https://w3id.org/labspace/v1/";

    private TitaniumJsonLd jsonLd;
    private ExecutorService executor;
    private final AtomicInteger compactions = new AtomicInteger();

    @BeforeEach
    void setUp() throws URISyntaxException {
        jsonLd = new TitaniumJsonLd(new Monitor() {
        });
        register("https://w3id.org/dspace/2025/1/context.jsonld", "document/dspace-v2025-1.jsonld");
        register("https://w3id.org/dspace/2025/1/odrl-profile.jsonld", "document/dspace-v2025-1-odrl.jsonld");
        register("https://w3id.org/edc/dspace/v0.0.1", "document/dspace-edc-context-v1.jsonld");
        jsonLd.registerContext("https://w3id.org/dspace/2025/1/context.jsonld", SCOPE);
        jsonLd.registerContext("https://w3id.org/edc/dspace/v0.0.1", SCOPE);
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    @Test
    void firstReply_equalsGenericCompaction() {
        var catalog = catalog(450, "Air quality");

        var reply = compaction(new CompactedDatasets(64 << 20)).compact(catalog);

        assertThat(parse(reply)).isEqualTo(generic(catalog));
        assertThat(parse(reply).getJsonArray("dataset")).hasSize(450);
    }

    @Test
    void repeatedReply_usesCachedDatasets_andCarriesThisRequestsOfferIds() {
        var cache = new CompactedDatasets(64 << 20);
        var compaction = compaction(cache);
        compaction.compact(catalog(300, "Air quality"));
        var misses = cache.misses();
        var calls = compactions.get();

        var second = catalog(300, "Air quality");
        var reply = compaction.compact(second);

        assertThat(parse(reply)).isEqualTo(generic(second));
        assertThat(cache.misses()).isEqualTo(misses);
        assertThat(cache.hits()).isEqualTo(300);
        assertThat(compactions.get()).as("only the catalog shell is compacted again").isEqualTo(calls + 1);
        assertThat(reply).contains(offerIds(second));
    }

    @Test
    void changedDataset_isCompactedAgain() {
        var cache = new CompactedDatasets(64 << 20);
        var compaction = compaction(cache);
        compaction.compact(catalog(20, "Air quality"));

        var changed = catalog(20, "Air quality, revised");
        var reply = compaction.compact(changed);

        assertThat(parse(reply)).isEqualTo(generic(changed));
        assertThat(reply).contains("Air quality, revised 7").doesNotContain("\"Air quality 7\"");
    }

    @Test
    void cacheOff_stillGivesTheSameReply() {
        var catalog = catalog(30, "Air quality");

        var reply = compaction(new CompactedDatasets(0)).compact(catalog);

        assertThat(parse(reply)).isEqualTo(generic(catalog));
    }

    @Test
    void cache_staysWithinItsBudget_droppingLeastRecentlyUsed() {
        var cache = new CompactedDatasets(10_000);
        compaction(cache).compact(catalog(200, "Air quality"));

        assertThat(cache.size()).isBetween(1, 20);
        var small = new CompactedDatasets(10);
        small.put("a", "12345");
        small.put("b", "1234567");
        assertThat(small.get("a")).isNull();
        assertThat(small.get("b")).isEqualTo("1234567");
    }

    @Test
    void applies_onlyToCatalogsWithSeveralDatasets() {
        assertThat(CatalogReplyCompaction.applies(catalog(2, "t"))).isTrue();
        assertThat(CatalogReplyCompaction.applies(catalog(1, "t"))).isFalse();
        assertThat(CatalogReplyCompaction.applies(dataset(1, "t", "x"))).isFalse();
        assertThat(CatalogReplyCompaction.applies(JsonValue.EMPTY_JSON_OBJECT)).isFalse();
    }

    @Test
    void failingCompaction_isReported_notHidden() {
        var broken = new CatalogReplyCompaction(c -> Json.createObjectBuilder().build(), new CompactedDatasets(1 << 20), executor);

        assertThatThrownBy(() -> broken.compact(catalog(3, "t"))).hasMessageContaining("no dataset property");
    }

    private CatalogReplyCompaction compaction(CompactedDatasets cache) {
        return new CatalogReplyCompaction(c -> {
            compactions.incrementAndGet();
            return jsonLd.compact(c, SCOPE).orElseThrow(f -> new IllegalStateException(f.getFailureDetail()));
        }, cache, executor);
    }

    private JsonObject generic(JsonObject catalog) {
        return jsonLd.compact(catalog, SCOPE).orElseThrow(f -> new IllegalStateException(f.getFailureDetail()));
    }

    private static JsonObject parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    /** A catalog shaped like EDC's before compaction: full IRIs, offers with fresh ids, Labspace's dataset terms. */
    private static JsonObject catalog(int datasets, String title) {
        var list = Json.createArrayBuilder();
        for (var i = 0; i < datasets; i++) {
            list.add(dataset(i, title, offerId("labspace-offer.members-only.non-commercial", "ds-" + i)));
        }
        return Json.createObjectBuilder()
                .add("@id", "catalog-" + UUID.randomUUID())
                .add("@type", DCAT + "Catalog")
                .add(DCAT + "dataset", list)
                .add(DCAT + "service", Json.createArrayBuilder().add(dataService()))
                .add("https://w3id.org/dspace/2025/1/participantId", Json.createObjectBuilder().add("@id", "lab-madrid"))
                .build();
    }

    private static JsonObject dataset(int i, String title, String offerId) {
        var offers = Json.createArrayBuilder()
                .add(Json.createObjectBuilder()
                        .add("@id", offerId)
                        .add("@type", ODRL + "Offer")
                        .add(ODRL + "permission", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                .add(ODRL + "action", Json.createObjectBuilder().add("@id", ODRL + "use"))
                                .add(ODRL + "constraint", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                        .add(ODRL + "leftOperand", Json.createObjectBuilder().add("@id", "https://w3id.org/labspace/v1/purpose"))
                                        .add(ODRL + "operator", Json.createObjectBuilder().add("@id", ODRL + "eq"))
                                        .add(ODRL + "rightOperand", "research")))))
                        .add(ODRL + "prohibition", Json.createArrayBuilder())
                        .add(ODRL + "obligation", Json.createArrayBuilder()));
        if (i % 5 == 0) {
            // a second offer, and one whose id is not EDC's kind: it stays in the cache key
            offers.add(Json.createObjectBuilder().add("@id", offerId("labspace-offer.open.any", "ds-" + i)).add("@type", ODRL + "Offer"));
            offers.add(Json.createObjectBuilder().add("@id", "urn:offer:" + i).add("@type", ODRL + "Offer"));
        }
        var columns = Json.createArrayBuilder();
        for (var c = 0; c < 4; c++) {
            columns.add(Json.createObjectBuilder()
                    .add(LABSPACE + "columnName", "col" + c)
                    .add(LABSPACE + "arrowType", c == 0 ? "Utf8" : "FloatingPoint(DOUBLE)")
                    .add(LABSPACE + "nullable", c > 1)
                    .add(LABSPACE + "nullCount", c * 3));
        }
        var builder = Json.createObjectBuilder()
                .add("@id", "ds-" + i)
                .add("@type", DCAT + "Dataset")
                .add(ODRL + "hasPolicy", offers)
                .add(DCAT + "distribution", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("@type", DCAT + "Distribution")
                        .add(DCT + "format", Json.createObjectBuilder().add("@id", "ArrowStream-PULL"))
                        .add(DCAT + "accessService", dataService())))
                .add(DCT + "title", title + " " + i)
                .add(DCT + "description", Json.createObjectBuilder().add("@value", "Hourly readings " + i).add("@language", "en"))
                .add(DCT + "issued", Json.createObjectBuilder().add("@value", "2026-11-28T06:00:00Z").add("@type", "http://www.w3.org/2001/XMLSchema#dateTime"))
                .add(DCAT + "keyword", Json.createArrayBuilder().add("air").add("k" + (i % 7)))
                .add(DCAT + "byteSize", 4096L * i)
                .add(LABSPACE + "rowCount", 1000L + i)
                .add(LABSPACE + "columns", columns);
        if (i % 3 == 0) {
            builder.add(DCT + "license", Json.createObjectBuilder().add("@id", "https://spdx.org/licenses/CC-BY-4.0"));
        }
        return builder.build();
    }

    private static JsonObject dataService() {
        return Json.createObjectBuilder()
                .add("@id", "lab-madrid-dsp")
                .add("@type", DCAT + "DataService")
                .add(DCAT + "endpointDescription", "dspace:connector")
                .add(DCAT + "endpointURL", "http://127.0.0.1:19194/protocol/2025-1")
                .build();
    }

    private static String offerId(String definition, String asset) {
        var encoder = Base64.getEncoder();
        return encoder.encodeToString(definition.getBytes(UTF_8)) + ":" + encoder.encodeToString(asset.getBytes(UTF_8)) + ":"
                + encoder.encodeToString(UUID.randomUUID().toString().getBytes(UTF_8));
    }

    private static String[] offerIds(JsonObject catalog) {
        var ids = new ArrayList<String>();
        for (var dataset : catalog.getJsonArray(DCAT + "dataset")) {
            for (var offer : dataset.asJsonObject().getJsonArray(ODRL + "hasPolicy")) {
                ids.add(offer.asJsonObject().getString("@id"));
            }
        }
        return ids.toArray(String[]::new);
    }

    private void register(String url, String resource) throws URISyntaxException {
        jsonLd.registerCachedDocument(url, getClass().getClassLoader().getResource(resource).toURI());
    }
}
