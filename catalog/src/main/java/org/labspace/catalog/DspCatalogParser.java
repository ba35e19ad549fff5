package org.labspace.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the datasets out of a peer's DSP catalog (compacted JSON-LD as EDC sends it). Terms may come as
 * {@code dct:title}, as full IRIs or as {@code @value} objects; a dataset without Labspace terms still gets a
 * summary from its id and Dublin Core terms.
 */
public final class DspCatalogParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PREFIXES = Map.of("dct:", Vocabulary.DCT, "dcat:", Vocabulary.DCAT, "odrl:", "http://www.w3.org/ns/odrl/2/");

    private DspCatalogParser() {
    }

    /**
     * @throws DatasetException when the answer is not a JSON catalog
     */
    public static List<DatasetSummary> parse(String lab, byte[] body) throws DatasetException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DatasetException("catalog from " + lab + " is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DatasetException("catalog from " + lab + " cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new DatasetException("catalog from " + lab + " is not a JSON object");
        }
        var datasets = term(root, "dataset", Vocabulary.DCAT + "dataset");
        var summaries = new ArrayList<DatasetSummary>();
        for (var dataset : list(datasets)) {
            if (!dataset.isObject()) {
                throw new DatasetException("catalog from " + lab + " has a dataset that is not an object");
            }
            summaries.add(summary(lab, dataset));
        }
        return summaries;
    }

    private static DatasetSummary summary(String lab, JsonNode dataset) {
        var id = text(dataset.has("@id") ? dataset.get("@id") : dataset.get("id"));
        var columns = new ArrayList<DatasetSummary.Column>();
        for (var column : list(term(dataset, null, Vocabulary.SCHEMA))) {
            columns.add(new DatasetSummary.Column(text(term(column, "name", Vocabulary.COLUMN_NAME)), text(term(column, "type", Vocabulary.COLUMN_TYPE))));
        }
        var offers = new ArrayList<String>();
        for (var policy : list(term(dataset, "hasPolicy", "http://www.w3.org/ns/odrl/2/hasPolicy"))) {
            var offerId = text(policy.has("@id") ? policy.get("@id") : policy.get("id"));
            if (offerId != null) {
                offers.add(offerId);
            }
        }
        var keywords = new ArrayList<String>();
        for (var keyword : list(term(dataset, null, Vocabulary.KEYWORD))) {
            var text = text(keyword);
            if (text != null) {
                keywords.add(text);
            }
        }
        var title = text(term(dataset, null, Vocabulary.TITLE));
        return new DatasetSummary(lab, id, title != null ? title : id, text(term(dataset, null, Vocabulary.DESCRIPTION)), keywords,
                text(term(dataset, null, Vocabulary.LICENSE)), number(term(dataset, null, Vocabulary.ROW_COUNT)),
                number(term(dataset, null, Vocabulary.BYTE_SIZE)), integer(term(dataset, null, Vocabulary.FILE_COUNT)),
                text(term(dataset, null, Vocabulary.VERSION)), text(term(dataset, null, Vocabulary.MODIFIED)), columns, offers,
                text(term(dataset, null, Vocabulary.ACCESS_POLICY)), text(term(dataset, null, Vocabulary.USAGE_POLICY)));
    }

    /** A term by its short DSP name, its full IRI, or a prefixed form of the IRI. */
    private static JsonNode term(JsonNode node, String shortName, String iri) {
        if (shortName != null && node.has(shortName)) {
            return node.get(shortName);
        }
        if (node.has(iri)) {
            return node.get(iri);
        }
        for (var prefix : PREFIXES.entrySet()) {
            if (iri.startsWith(prefix.getValue())) {
                var compact = prefix.getKey() + iri.substring(prefix.getValue().length());
                if (node.has(compact)) {
                    return node.get(compact);
                }
            }
        }
        if (iri.startsWith(Vocabulary.LABSPACE)) {
            var local = iri.substring(Vocabulary.LABSPACE.length());
            if (node.has("labspace:" + local)) {
                return node.get("labspace:" + local);
            }
        }
        return null;
    }

    private static List<JsonNode> list(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        if (node.isArray()) {
            var items = new ArrayList<JsonNode>();
            node.forEach(items::add);
            return items;
        }
        return List.of(node);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isArray()) {
            return node.isEmpty() ? null : text(node.get(0));
        }
        if (node.isObject()) {
            return node.has("@value") ? text(node.get("@value")) : node.has("@id") ? text(node.get("@id")) : null;
        }
        return node.asText();
    }

    private static Long number(JsonNode node) {
        var text = text(node);
        try {
            return text == null ? null : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer integer(JsonNode node) {
        var value = number(node);
        return value == null ? null : value.intValue();
    }
}
