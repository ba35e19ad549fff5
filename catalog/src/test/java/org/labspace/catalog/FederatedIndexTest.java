package org.labspace.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FederatedIndexTest {

    @TempDir
    Path dir;
    private static final Instant T1 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-28T10:05:00Z");

    static DatasetSummary dataset(String lab, String id, String title, String description, List<String> keywords, String license, String... columns) {
        return new DatasetSummary(lab, id, title, description, keywords, license, 1000L, 2048L, 1, "1", "2026-11-01T00:00:00Z",
                java.util.Arrays.stream(columns).map(c -> new DatasetSummary.Column(c, "Utf8")).toList(), List.of("offer-" + id), "members-only", "non-commercial");
    }

    private FederatedIndex sampleIndex() {
        var index = new FederatedIndex(dir.resolve("federated.json"));
        index.succeeded("lab-madrid", List.of(
                dataset("lab-madrid", "air-quality", "Air quality", "PM2.5 and NO2 readings from Madrid stations", List.of("air", "pollution"), "CC-BY-4.0", "station", "pm25"),
                dataset("lab-madrid", "clinical", "Clinical sandbox", "Synthetic patients; mentions air quality exposure", List.of("health"), "restricted", "patient_id", "diagnosis")), T1);
        index.succeeded("lab-lisbon", List.of(
                dataset("lab-lisbon", "energy", "Energy grid load", "Hourly load per substation", List.of("energy", "grid"), "CC-BY-4.0", "substation", "load_mw"),
                dataset("lab-lisbon", "air-lisbon", "Lisbon air monitoring", "Air quality in Lisbon", List.of("air"), "CC0-1.0", "station", "pm25")), T2);
        return index;
    }

    @Test
    void search_ranksExactTitleThenKeywordsThenTitleWordsThenDescription() {
        var hits = sampleIndex().search(new SearchQuery("air quality", null, null, null));

        assertThat(hits).extracting(h -> h.dataset().id()).containsExactly("air-quality", "air-lisbon", "clinical");
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
        assertThat(hits.get(0).fetchedAt()).isEqualTo(T1);
    }

    @Test
    void filters_byLabColumnAndLicense_combine() {
        var index = sampleIndex();
        assertThat(index.search(new SearchQuery(null, null, "PM25", null))).extracting(h -> h.dataset().id()).containsExactlyInAnyOrder("air-quality", "air-lisbon");
        assertThat(index.search(new SearchQuery(null, "lab-lisbon", "pm25", null))).extracting(h -> h.dataset().id()).containsExactly("air-lisbon");
        assertThat(index.search(new SearchQuery("grid", null, null, "cc-by-4.0"))).extracting(h -> h.dataset().id()).containsExactly("energy");
        assertThat(index.search(new SearchQuery("grid", "lab-madrid", null, null))).isEmpty();
        assertThat(index.search(new SearchQuery("", null, null, null))).hasSize(4);
    }

    @Test
    void failedCrawl_keepsTheLabsDatasets_andRecordsWhy() {
        var index = sampleIndex();
        index.failed("lab-lisbon", "timed out after 30 s", T2.plusSeconds(300));

        var lisbon = index.peers().stream().filter(p -> p.lab().equals("lab-lisbon")).findFirst().orElseThrow();
        assertThat(lisbon.lastError()).isEqualTo("timed out after 30 s");
        assertThat(lisbon.lastSuccess()).isEqualTo(T2);
        assertThat(lisbon.datasets()).isEqualTo(2);
        assertThat(index.search(new SearchQuery("energy", null, null, null))).hasSize(1);
    }

    @Test
    void index_survivesARestart_andADamagedFileIsSetAside() throws Exception {
        sampleIndex();
        var reopened = new FederatedIndex(dir.resolve("federated.json"));
        assertThat(reopened.size()).isEqualTo(4);
        assertThat(reopened.search(new SearchQuery("energy", null, null, null)).get(0).fetchedAt()).isEqualTo(T2);

        Files.writeString(dir.resolve("federated.json"), "{ half written");
        var fresh = new FederatedIndex(dir.resolve("federated.json"));
        assertThat(fresh.size()).isZero();
        assertThat(dir.resolve("federated.json.damaged")).exists();
    }

    @Test
    void labsThatLeftTheNetwork_areForgotten() {
        var index = sampleIndex();
        index.retainOnly(java.util.Set.of("lab-lisbon"));
        assertThat(index.peers()).extracting(PeerStatus::lab).containsExactly("lab-lisbon");
        assertThat(index.size()).isEqualTo(2);
    }
}
