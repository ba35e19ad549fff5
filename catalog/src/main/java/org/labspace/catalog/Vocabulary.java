package org.labspace.catalog;

/**
 * The terms a dataset's description uses: DCAT and Dublin Core for what every catalog reader knows, and the Labspace
 * vocabulary for what researchers need before they pull data (schema, rows, files). Documented in docs/catalog.md.
 */
public final class Vocabulary {

    public static final String DCT = "http://purl.org/dc/terms/";
    public static final String DCAT = "http://www.w3.org/ns/dcat#";
    public static final String LABSPACE = "https://w3id.org/labspace/v1/";

    public static final String TITLE = DCT + "title";
    public static final String DESCRIPTION = DCT + "description";
    public static final String LICENSE = DCT + "license";
    public static final String ISSUED = DCT + "issued";
    public static final String MODIFIED = DCT + "modified";
    public static final String PUBLISHER = DCT + "publisher";
    public static final String KEYWORD = DCAT + "keyword";
    public static final String BYTE_SIZE = DCAT + "byteSize";
    public static final String VERSION = DCAT + "version";

    public static final String ROW_COUNT = LABSPACE + "rowCount";
    public static final String FILE_COUNT = LABSPACE + "fileCount";
    public static final String ROW_GROUPS = LABSPACE + "rowGroups";
    public static final String SCHEMA = LABSPACE + "schema";
    public static final String FINGERPRINT = LABSPACE + "fingerprint";
    /** Terms of one schema column: full IRIs, because JSON-LD drops keys it cannot expand. */
    public static final String COLUMN_NAME = LABSPACE + "columnName";
    public static final String COLUMN_TYPE = LABSPACE + "arrowType";
    public static final String COLUMN_NULLABLE = LABSPACE + "nullable";
    public static final String COLUMN_NULL_COUNT = LABSPACE + "nullCount";
    public static final String COLUMN_MIN = LABSPACE + "min";
    public static final String COLUMN_MAX = LABSPACE + "max";
    public static final String COLUMN_PARTITION = LABSPACE + "partition";
    public static final String ACCESS_POLICY = LABSPACE + "accessPolicy";
    public static final String USAGE_POLICY = LABSPACE + "usagePolicy";
    /** The policy pair an asset is offered under; contract definitions select assets by it. */
    public static final String OFFER = LABSPACE + "offer";
    public static final String WITHDRAWN = LABSPACE + "withdrawn";
    /** Marks an asset as a Labspace dataset (rather than an asset made by hand through EDC's API). */
    public static final String KIND = LABSPACE + "kind";
    public static final String KIND_DATASET = "dataset";

    /** Private (never published) properties. */
    public static final String PATH = LABSPACE + "path";
    public static final String ARROW_SCHEMA = LABSPACE + "arrowSchema";
    public static final String FILES = LABSPACE + "files";

    /** The data address type of a registered dataset, served by the Arrow data plane. */
    public static final String PARQUET_ADDRESS_TYPE = "LabspaceParquet";
    /** The transfer type Labspace datasets are offered and streamed with (the Arrow data plane's pull). */
    public static final String ARROW_PULL = "ArrowStream-PULL";
    public static final String OFFER_WITHDRAWN = "withdrawn";

    private Vocabulary() {
    }
}
