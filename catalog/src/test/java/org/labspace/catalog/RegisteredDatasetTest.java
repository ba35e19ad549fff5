package org.labspace.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RegisteredDatasetTest {

    @TempDir
    Path dir;

    @Test
    void properties_roundTrip_andThePathStaysPrivate() throws Exception {
        var file = TestParquet.airQuality(dir.resolve("air.parquet"), 300);
        var registration = new DatasetRegistration("air-quality", file.toString(), "Madrid air quality", "Hourly PM2.5",
                List.of("air", "spain"), "CC-BY-4.0", "members-only", "non-commercial");
        var dataset = new RegisteredDataset(registration, new ParquetInspector().inspect(file), 2, Instant.parse("2026-11-01T00:00:00Z"), null);

        var published = dataset.publicProperties("lab-madrid");
        assertThat(published).containsEntry(Vocabulary.TITLE, "Madrid air quality")
                .containsEntry(Vocabulary.PUBLISHER, "lab-madrid")
                .containsEntry(Vocabulary.VERSION, "2")
                .containsEntry(Vocabulary.ROW_COUNT, 300L)
                .containsEntry(Vocabulary.OFFER, "members-only|non-commercial")
                .containsEntry(Vocabulary.KEYWORD, List.of("air", "spain"));
        assertThat(published.values()).noneMatch(v -> String.valueOf(v).contains(dir.toString()));

        var back = RegisteredDataset.fromProperties("air-quality", published, dataset.privateProperties());
        assertThat(back.registration()).isEqualTo(registration);
        assertThat(back.version()).isEqualTo(2);
        assertThat(back.issued()).isEqualTo(dataset.issued());
        assertThat(back.profile().columns()).isEqualTo(dataset.profile().columns());
        assertThat(back.profile().files()).isEqualTo(dataset.profile().files());
        assertThat(back.profile().fingerprint()).isEqualTo(dataset.profile().fingerprint());
        assertThat(back.offered()).isTrue();

        var withdrawn = new RegisteredDataset(registration, dataset.profile(), 2, dataset.issued(), Instant.parse("2026-11-28T00:00:00Z"));
        assertThat(withdrawn.publicProperties("lab-madrid")).containsEntry(Vocabulary.OFFER, Vocabulary.OFFER_WITHDRAWN);
    }

    @Test
    void registrationProblems_nameTheFields() {
        var problems = new DatasetRegistration("Air Quality!", " ", null, null, List.of(" "), null, null, "").problems();
        assertThat(String.join("\n", problems)).contains("'id' must be").contains("'path' is missing").contains("'title' is missing")
                .contains("'accessPolicy' is missing").contains("'usagePolicy' is missing").contains("empty keyword");
    }
}
