package org.labspace.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CroissantTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void document_describesTheDatasetItsFilesAndEveryColumn() throws Exception {
        var file = TestParquet.airQuality(dir.resolve("air.parquet"), 100);
        var dataset = new RegisteredDataset(new DatasetRegistration("air-quality", file.toString(), "Madrid air quality", "PM2.5 readings",
                List.of("air"), "CC-BY-4.0", "members-only", "non-commercial"), new ParquetInspector().inspect(file), 3, Instant.now(), null);

        var croissant = Croissant.of(dataset.summary("lab-madrid"), "https://lab-madrid.example/datasets/air-quality");

        assertThat(croissant).containsEntry("@type", "sc:Dataset").containsEntry("conformsTo", Croissant.CONFORMS_TO)
                .containsEntry("name", "air-quality").containsEntry("license", "CC-BY-4.0").containsEntry("version", "3.0.0")
                .containsEntry("description", "PM2.5 readings");
        var recordSet = ((List<Map<String, Object>>) croissant.get("recordSet")).get(0);
        var fields = (List<Map<String, Object>>) recordSet.get("field");
        assertThat(fields).extracting(f -> f.get("name")).containsExactly("id", "station", "pm25", "city", "measured");
        assertThat(fields).extracting(f -> f.get("dataType")).containsExactly("sc:Integer", "sc:Integer", "sc:Float", "sc:Text", "sc:DateTime");
        assertThat(fields.get(2).get("source")).isEqualTo(Map.of("fileSet", Map.of("@id", "parquet-files"), "extract", Map.of("column", "pm25")));
        assertThat(recordSet.get("description")).isEqualTo("100 records");
    }
}
