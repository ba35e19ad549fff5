package org.labspace.connector.dataset;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Writes a DSP catalog reply as the JSON-LD compaction of the catalog would, without compacting every dataset on
 * every request.
 *
 * <p>Generic JSON-LD compaction of a catalog costs about 0.5 ms per dataset, almost all of it in building the
 * scoped contexts of each dataset node; for 10,000 datasets that is seconds per request. The compaction of the
 * items of an array is independent of the other items (the algorithm compacts each with the same active context),
 * so this class compacts the catalog without its datasets, compacts each dataset inside a catalog of the same type,
 * and keeps each compacted dataset in a {@link CompactedDatasets} cache keyed by the dataset's input. The offers'
 * ids, which EDC makes fresh for every request, are replaced by placeholders in the key and put back in the text.
 * Cache misses are compacted in batches on the given executor.
 *
 * <p>Plain JSON-P: no EDC types; the compactor is EDC's JSON-LD compaction for the protocol's scope.
 */
public final class CatalogReplyCompaction {

    static final String DCAT = "http://www.w3.org/ns/dcat#";
    static final String DCAT_CATALOG = DCAT + "Catalog";
    static final String DCAT_DATASET = DCAT + "dataset";
    static final String ODRL_HAS_POLICY = "http://www.w3.org/ns/odrl/2/hasPolicy";
    private static final String ID = "@id";
    private static final String TYPE = "@type";
    private static final String PLACEHOLDER = "urn:labspace:catalog-reply:";
    private static final String DATASET_PLACEHOLDER = PLACEHOLDER + "dataset";
    /**
     * EDC's offer ids: three base64 parts joined by ':'. Such an id is left as it is by IRI compaction (its "scheme"
     * is never a prefix of the protocol context), so a placeholder can stand in for it; other ids stay in the key.
     */
    private static final Pattern OFFER_ID = Pattern.compile("[A-Za-z0-9+/=_-]+:[A-Za-z0-9+/=_-]+:[A-Za-z0-9+/=_-]+");
    private static final int BATCH = 200;
    /** One provider: {@code Json.createX} looks the provider up again on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final UnaryOperator<JsonObject> compactor;
    private final CompactedDatasets cache;
    private final Executor executor;

    /**
     * @param compactor the JSON-LD compaction this reply must equal (EDC's, for the protocol scope); thread-safe
     * @param cache     compacted datasets, shared by all requests
     * @param executor  runs the compaction of cache misses, in batches
     */
    public CatalogReplyCompaction(UnaryOperator<JsonObject> compactor, CompactedDatasets cache, Executor executor) {
        this.compactor = compactor;
        this.cache = cache;
        this.executor = executor;
    }

    /** True for a catalog with at least two datasets: smaller ones gain nothing, and one dataset may not be an array. */
    public static boolean applies(JsonValue entity) {
        if (!(entity instanceof JsonObject catalog) || !hasType(catalog, DCAT_CATALOG)) {
            return false;
        }
        return catalog.get(DCAT_DATASET) instanceof JsonArray datasets && datasets.size() > 1;
    }

    /** The compacted catalog as JSON text. The input is EDC's catalog object before compaction. */
    public String compact(JsonObject catalog) {
        var datasets = catalog.getJsonArray(DCAT_DATASET);
        var shell = compactor.apply(JSON.createObjectBuilder(catalog)
                .add(DCAT_DATASET, JSON.createArrayBuilder().add(JSON.createObjectBuilder().add(ID, DATASET_PLACEHOLDER)))
                .build());
        var datasetKey = datasetKey(shell);

        var inputs = new ArrayList<DatasetInput>(datasets.size());
        for (var dataset : datasets) {
            inputs.add(DatasetInput.of(dataset));
        }
        var compacted = compactMisses(catalog.get(TYPE), inputs);

        var reply = new StringBuilder(64 + inputs.size() * 2048);
        var shellText = JSON.createObjectBuilder(shell).remove(datasetKey).build().toString();
        reply.append(shellText, 0, shellText.length() - 1);
        if (shellText.length() > 2) {
            reply.append(',');
        }
        reply.append(JSON.createValue(datasetKey)).append(":[");
        for (var i = 0; i < inputs.size(); i++) {
            if (i > 0) {
                reply.append(',');
            }
            reply.append(inputs.get(i).restoreOfferIds(compacted.get(inputs.get(i).key)));
        }
        return reply.append("]}").toString();
    }

    /** Looks up every dataset; compacts the ones not cached, in parallel batches; returns compacted text by key. */
    private Map<String, String> compactMisses(JsonValue catalogType, List<DatasetInput> inputs) {
        var found = new HashMap<String, String>();
        var misses = new LinkedHashMap<String, JsonValue>();
        for (var input : inputs) {
            if (found.containsKey(input.key) || misses.containsKey(input.key)) {
                continue;
            }
            var text = cache.get(input.key);
            if (text != null) {
                found.put(input.key, text);
            } else {
                misses.put(input.key, input.normalized);
            }
        }
        var keys = new ArrayList<>(misses.keySet());
        var batches = new ArrayList<CompletableFuture<List<String>>>();
        for (var from = 0; from < keys.size(); from += BATCH) {
            var batch = keys.subList(from, Math.min(keys.size(), from + BATCH)).stream().map(misses::get).toList();
            batches.add(CompletableFuture.supplyAsync(() -> compactBatch(catalogType, batch), executor));
        }
        for (var b = 0; b < batches.size(); b++) {
            var texts = batches.get(b).join();
            for (var i = 0; i < texts.size(); i++) {
                var key = keys.get(b * BATCH + i);
                found.put(key, texts.get(i));
                cache.put(key, texts.get(i));
            }
        }
        return found;
    }

    /** Compacts datasets inside a catalog of the same type, so each one sees the active context it has in the reply. */
    private List<String> compactBatch(JsonValue catalogType, List<JsonValue> datasets) {
        var input = JSON.createObjectBuilder().add(TYPE, catalogType).add(DCAT_DATASET, JSON.createArrayBuilder(datasets)).build();
        var compacted = compactor.apply(input);
        var properties = compacted.keySet().stream().filter(k -> !k.startsWith("@")).toList();
        if (properties.size() != 1) {
            throw new IllegalStateException("a compacted batch of datasets has properties " + properties);
        }
        var value = compacted.get(properties.get(0));
        var items = value instanceof JsonArray array ? array : JSON.createArrayBuilder().add(value).build();
        if (items.size() != datasets.size()) {
            throw new IllegalStateException("compacting " + datasets.size() + " datasets gave " + items.size());
        }
        return items.stream().map(JsonValue::toString).toList();
    }

    private static String datasetKey(JsonObject shell) {
        for (var entry : shell.entrySet()) {
            if (holdsPlaceholder(entry.getValue())) {
                return entry.getKey();
            }
        }
        throw new IllegalStateException("the compacted catalog has no dataset property");
    }

    private static boolean holdsPlaceholder(JsonValue value) {
        if (value instanceof JsonArray array) {
            return array.size() == 1 && holdsPlaceholder(array.get(0));
        }
        return value instanceof JsonObject object && object.size() == 1
                && object.get(ID) instanceof JsonString id && id.getString().equals(DATASET_PLACEHOLDER);
    }

    private static boolean hasType(JsonObject object, String type) {
        var value = object.get(TYPE);
        if (value instanceof JsonString string) {
            return string.getString().equals(type);
        }
        return value instanceof JsonArray array && array.stream().anyMatch(v -> v instanceof JsonString s && s.getString().equals(type));
    }

    /** One dataset of a reply: its input with offer ids replaced by placeholders, the cache key, and the real ids. */
    private record DatasetInput(JsonValue normalized, String key, List<String> offerIds) {

        static DatasetInput of(JsonValue dataset) {
            var offerIds = new ArrayList<String>();
            var normalized = dataset;
            if (dataset instanceof JsonObject object && object.get(ODRL_HAS_POLICY) != null) {
                var policies = object.get(ODRL_HAS_POLICY);
                var replaced = policies instanceof JsonArray array
                        ? JSON.createArrayBuilder(array.stream().map(p -> placeholder(p, offerIds)).toList()).build()
                        : placeholder(policies, offerIds);
                normalized = JSON.createObjectBuilder(object).add(ODRL_HAS_POLICY, replaced).build();
            }
            return new DatasetInput(normalized, sha256(normalized.toString()), offerIds);
        }

        private static JsonValue placeholder(JsonValue policy, List<String> offerIds) {
            if (policy instanceof JsonObject object && object.get(ID) instanceof JsonString id && OFFER_ID.matcher(id.getString()).matches()) {
                var placeholder = PLACEHOLDER + "offer:" + offerIds.size();
                offerIds.add(id.getString());
                return JSON.createObjectBuilder(object).add(ID, placeholder).build();
            }
            return policy;
        }

        String restoreOfferIds(String compacted) {
            var text = compacted;
            for (var i = 0; i < offerIds.size(); i++) {
                var placeholder = "\"" + PLACEHOLDER + "offer:" + i + "\"";
                if (!text.contains(placeholder)) {
                    throw new IllegalStateException("a compacted dataset lost the id of its offer " + i);
                }
                text = text.replace(placeholder, JSON.createValue(offerIds.get(i)).toString());
            }
            return text;
        }

        private static String sha256(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
