package org.labspace.catalog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DspCatalogParserTest {

    // the shape EDC 0.15.1 sends for DSP 2025-1: DCAT terms prefixed, Labspace terms as full IRIs
    private static final String CATALOG = """
            {"@id":"cat-1","@type":"Catalog","dataset":[
              {"@id":"air-quality","@type":"Dataset","hasPolicy":[{"@id":"b2ZmZXI=:YWly:MQ==","@type":"Offer"}],
               "dct:title":"Madrid air quality","dct:description":"PM2.5","dcat:keyword":["air","spain"],"dct:license":"CC-BY-4.0",
               "https://w3id.org/labspace/v1/rowCount":5000,"dcat:byteSize":123456,"dcat:version":"2",
               "https://w3id.org/labspace/v1/schema":[{"https://w3id.org/labspace/v1/columnName":"station","https://w3id.org/labspace/v1/arrowType":"Int(32, true)"},
                 {"https://w3id.org/labspace/v1/columnName":{"@value":"pm25"},"https://w3id.org/labspace/v1/arrowType":"FloatingPoint(DOUBLE)"}],
               "https://w3id.org/labspace/v1/usagePolicy":"non-commercial"},
              {"@id":"plain-edc-asset","@type":"Dataset","hasPolicy":{"@id":"o2"}}
            ],"@context":["https://w3id.org/dspace/2025/1/context.jsonld"]}""";

    @Test
    void parse_readsDcatAndLabspaceTerms() throws Exception {
        var datasets = DspCatalogParser.parse("lab-madrid", CATALOG.getBytes(StandardCharsets.UTF_8));

        assertThat(datasets).hasSize(2);
        var air = datasets.get(0);
        assertThat(air.lab()).isEqualTo("lab-madrid");
        assertThat(air.title()).isEqualTo("Madrid air quality");
        assertThat(air.keywords()).containsExactly("air", "spain");
        assertThat(air.rowCount()).isEqualTo(5000L);
        assertThat(air.byteSize()).isEqualTo(123456L);
        assertThat(air.version()).isEqualTo("2");
        assertThat(air.columns()).extracting(DatasetSummary.Column::name).containsExactly("station", "pm25");
        assertThat(air.offerIds()).containsExactly("b2ZmZXI=:YWly:MQ==");
        assertThat(air.usagePolicy()).isEqualTo("non-commercial");
        var plain = datasets.get(1);
        assertThat(plain.title()).as("falls back to the id").isEqualTo("plain-edc-asset");
        assertThat(plain.offerIds()).containsExactly("o2");
    }

    @Test
    void garbage_isRefusedNamingTheLab() {
        assertThatThrownBy(() -> DspCatalogParser.parse("lab-x", "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DatasetException.class).hasMessageStartingWith("catalog from lab-x is not JSON");
        assertThatThrownBy(() -> DspCatalogParser.parse("lab-x", "[1,2]".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> DspCatalogParser.parse("lab-x", "{\"dataset\":[42]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("dataset that is not an object");
    }
}
