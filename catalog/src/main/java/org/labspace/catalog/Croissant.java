package org.labspace.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset's description as MLCommons Croissant 1.0 JSON-LD, the metadata format ML tooling reads: the dataset,
 * its Parquet files as one file set, and one record set whose fields are the columns.
 */
public final class Croissant {

    public static final String CONFORMS_TO = "http://mlcommons.org/croissant/1.0";

    private Croissant() {
    }

    /**
     * @param url where people can find the dataset (its lab's address for it)
     */
    public static Map<String, Object> of(DatasetSummary dataset, String url) {
        var document = new LinkedHashMap<String, Object>();
        document.put("@context", context());
        document.put("@type", "sc:Dataset");
        document.put("conformsTo", CONFORMS_TO);
        document.put("name", dataset.id());
        document.put("alternateName", dataset.title());
        document.put("description", dataset.description() != null ? dataset.description() : dataset.title());
        if (dataset.license() != null) {
            document.put("license", dataset.license());
        }
        document.put("url", url);
        if (dataset.version() != null) {
            // Croissant wants MAJOR.MINOR.PATCH; a Labspace version counts content changes
            document.put("version", dataset.version().matches("\\d+") ? dataset.version() + ".0.0" : dataset.version());
        }
        if (dataset.modified() != null) {
            document.put("dateModified", dataset.modified());
        }
        document.put("keywords", dataset.keywords());
        document.put("publisher", Map.of("@type", "sc:Organization", "name", dataset.lab()));
        var fileSet = new LinkedHashMap<String, Object>();
        fileSet.put("@type", "cr:FileSet");
        fileSet.put("@id", "parquet-files");
        fileSet.put("name", "parquet-files");
        fileSet.put("description", "The dataset's Parquet files, streamed by its lab as Apache Arrow after an agreement");
        fileSet.put("encodingFormat", "application/x-parquet");
        fileSet.put("includes", "**/*.parquet");
        document.put("distribution", List.of(fileSet));
        var fields = new ArrayList<Map<String, Object>>();
        for (var column : dataset.columns()) {
            var field = new LinkedHashMap<String, Object>();
            field.put("@type", "cr:Field");
            field.put("@id", dataset.id() + "/" + column.name());
            field.put("name", column.name());
            field.put("description", "Arrow type " + column.type());
            field.put("dataType", dataType(column.type()));
            field.put("source", Map.of("fileSet", Map.of("@id", "parquet-files"), "extract", Map.of("column", column.name())));
            fields.add(field);
        }
        var recordSet = new LinkedHashMap<String, Object>();
        recordSet.put("@type", "cr:RecordSet");
        recordSet.put("@id", dataset.id());
        recordSet.put("name", dataset.id());
        if (dataset.rowCount() != null) {
            recordSet.put("description", dataset.rowCount() + " records");
        }
        recordSet.put("field", fields);
        document.put("recordSet", List.of(recordSet));
        return document;
    }

    /** The schema.org type for an Arrow type, as {@link org.apache.arrow.vector.types.pojo.ArrowType#toString()} writes it. */
    static String dataType(String arrowType) {
        if (arrowType == null) {
            return "sc:Text";
        }
        if (arrowType.startsWith("Int(")) {
            return "sc:Integer";
        }
        if (arrowType.startsWith("FloatingPoint") || arrowType.startsWith("Decimal")) {
            return "sc:Float";
        }
        if (arrowType.equals("Bool")) {
            return "sc:Boolean";
        }
        if (arrowType.startsWith("Date(")) {
            return "sc:Date";
        }
        if (arrowType.startsWith("Timestamp(")) {
            return "sc:DateTime";
        }
        if (arrowType.startsWith("Binary") || arrowType.startsWith("LargeBinary") || arrowType.startsWith("FixedSizeBinary")) {
            return "sc:Text";
        }
        return "sc:Text";
    }

    // the context from the Croissant 1.0 specification, trimmed to the terms used here
    private static Map<String, Object> context() {
        var context = new LinkedHashMap<String, Object>();
        context.put("@language", "en");
        context.put("@vocab", "https://schema.org/");
        context.put("sc", "https://schema.org/");
        context.put("cr", "http://mlcommons.org/croissant/");
        context.put("dct", "http://purl.org/dc/terms/");
        context.put("conformsTo", "dct:conformsTo");
        context.put("recordSet", "cr:recordSet");
        context.put("field", "cr:field");
        context.put("dataType", Map.of("@id", "cr:dataType", "@type", "@vocab"));
        context.put("source", "cr:source");
        context.put("extract", "cr:extract");
        context.put("column", "cr:column");
        context.put("fileSet", "cr:fileSet");
        context.put("includes", "cr:includes");
        return context;
    }
}
