package org.labspace.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset as the lab holds it: the administrator's description, what the files say, and its history.
 *
 * @param version   1 at registration, raised whenever the files' content changes
 * @param issued    when the dataset was first registered
 * @param withdrawn when its offer was withdrawn, or null while offered
 */
public record RegisteredDataset(DatasetRegistration registration, DatasetProfile profile, int version, Instant issued, Instant withdrawn) {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    public String id() {
        return registration.id();
    }

    public boolean offered() {
        return withdrawn == null;
    }

    /** This dataset as another lab would see it in a search. */
    public DatasetSummary summary(String lab) {
        var r = registration;
        return new DatasetSummary(lab, r.id(), r.title(), r.description(), r.keywords(), r.license(), profile.rowCount(), profile.byteSize(),
                profile.fileCount(), String.valueOf(version), String.valueOf(profile.modified()),
                profile.columns().stream().map(c -> new DatasetSummary.Column(c.name(), c.arrowType())).toList(), List.of(),
                r.accessPolicy(), r.usagePolicy());
    }

    /** The value of the offer property: assets with the same policy pair share one contract definition. */
    public static String offerKey(String accessPolicy, String usagePolicy) {
        return accessPolicy + "|" + usagePolicy;
    }

    /** What the catalog publishes about the dataset, keyed by full IRIs. */
    public Map<String, Object> publicProperties(String publisher) {
        var r = registration;
        var properties = new LinkedHashMap<String, Object>();
        properties.put(Vocabulary.KIND, Vocabulary.KIND_DATASET);
        properties.put(Vocabulary.TITLE, r.title());
        if (r.description() != null) {
            properties.put(Vocabulary.DESCRIPTION, r.description());
        }
        properties.put(Vocabulary.KEYWORD, r.keywords());
        if (r.license() != null) {
            properties.put(Vocabulary.LICENSE, r.license());
        }
        properties.put(Vocabulary.PUBLISHER, publisher);
        properties.put(Vocabulary.VERSION, String.valueOf(version));
        properties.put(Vocabulary.ISSUED, issued.toString());
        properties.put(Vocabulary.MODIFIED, profile.modified().toString());
        properties.put(Vocabulary.BYTE_SIZE, profile.byteSize());
        properties.put(Vocabulary.ROW_COUNT, profile.rowCount());
        properties.put(Vocabulary.FILE_COUNT, profile.fileCount());
        properties.put(Vocabulary.ROW_GROUPS, profile.rowGroups());
        properties.put(Vocabulary.SCHEMA, schema(profile.columns()));
        properties.put(Vocabulary.FINGERPRINT, profile.fingerprint());
        properties.put(Vocabulary.ACCESS_POLICY, r.accessPolicy());
        properties.put(Vocabulary.USAGE_POLICY, r.usagePolicy());
        properties.put(Vocabulary.OFFER, withdrawn == null ? offerKey(r.accessPolicy(), r.usagePolicy()) : Vocabulary.OFFER_WITHDRAWN);
        if (withdrawn != null) {
            properties.put(Vocabulary.WITHDRAWN, withdrawn.toString());
        }
        return properties;
    }

    /** What stays inside the lab: where the files are, and the full Arrow schema. */
    public Map<String, Object> privateProperties() {
        var properties = new LinkedHashMap<String, Object>();
        properties.put(Vocabulary.PATH, registration.path());
        properties.put(Vocabulary.ARROW_SCHEMA, profile.arrowSchemaJson());
        try {
            properties.put(Vocabulary.FILES, JSON.writeValueAsString(profile.files()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }

    private static List<Map<String, Object>> schema(List<ColumnProfile> columns) {
        var schema = new ArrayList<Map<String, Object>>();
        for (var c : columns) {
            var column = new LinkedHashMap<String, Object>();
            column.put(Vocabulary.COLUMN_NAME, c.name());
            column.put(Vocabulary.COLUMN_TYPE, c.arrowType());
            column.put(Vocabulary.COLUMN_NULLABLE, c.nullable());
            if (c.nullCount() != null) {
                column.put(Vocabulary.COLUMN_NULL_COUNT, c.nullCount());
            }
            if (c.min() != null) {
                column.put(Vocabulary.COLUMN_MIN, c.min());
            }
            if (c.max() != null) {
                column.put(Vocabulary.COLUMN_MAX, c.max());
            }
            if (c.partition()) {
                column.put(Vocabulary.COLUMN_PARTITION, true);
            }
            schema.add(column);
        }
        return schema;
    }

    /**
     * Reads a dataset back from the properties written by {@link #publicProperties} and {@link #privateProperties}.
     */
    public static RegisteredDataset fromProperties(String id, Map<String, Object> properties, Map<String, Object> privateProperties) {
        var registration = new DatasetRegistration(id, text(privateProperties.get(Vocabulary.PATH)), text(properties.get(Vocabulary.TITLE)),
                text(properties.get(Vocabulary.DESCRIPTION)), strings(properties.get(Vocabulary.KEYWORD)), text(properties.get(Vocabulary.LICENSE)),
                text(properties.get(Vocabulary.ACCESS_POLICY)), text(properties.get(Vocabulary.USAGE_POLICY)));
        var columns = new ArrayList<ColumnProfile>();
        if (properties.get(Vocabulary.SCHEMA) instanceof List<?> list) {
            for (var item : list) {
                if (item instanceof Map<?, ?> c) {
                    columns.add(new ColumnProfile(text(c.get(Vocabulary.COLUMN_NAME)), text(c.get(Vocabulary.COLUMN_TYPE)),
                            Boolean.TRUE.equals(c.get(Vocabulary.COLUMN_NULLABLE)),
                            c.get(Vocabulary.COLUMN_NULL_COUNT) instanceof Number n ? n.longValue() : null, text(c.get(Vocabulary.COLUMN_MIN)),
                            text(c.get(Vocabulary.COLUMN_MAX)), Boolean.TRUE.equals(c.get(Vocabulary.COLUMN_PARTITION))));
                }
            }
        }
        List<DataFile> files;
        try {
            var filesJson = text(privateProperties.get(Vocabulary.FILES));
            files = filesJson == null ? List.of() : JSON.readValue(filesJson, new TypeReference<List<DataFile>>() {
            });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            files = List.of();
        }
        var profile = new DatasetProfile(columns, text(privateProperties.get(Vocabulary.ARROW_SCHEMA)), number(properties.get(Vocabulary.ROW_COUNT)),
                number(properties.get(Vocabulary.BYTE_SIZE)), (int) number(properties.get(Vocabulary.ROW_GROUPS)), files,
                text(properties.get(Vocabulary.FINGERPRINT)), instant(properties.get(Vocabulary.MODIFIED)));
        var version = Integer.parseInt(String.valueOf(properties.getOrDefault(Vocabulary.VERSION, "1")));
        return new RegisteredDataset(registration, profile, version, instant(properties.get(Vocabulary.ISSUED)), instant(properties.get(Vocabulary.WITHDRAWN)));
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : value == null ? 0 : Long.parseLong(String.valueOf(value));
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse(String.valueOf(value));
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
