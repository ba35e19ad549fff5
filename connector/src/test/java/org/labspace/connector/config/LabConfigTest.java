package org.labspace.connector.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabConfigTest {

    @TempDir
    Path dir;

    @Test
    void load_environmentOverridesFile_andSystemPropertyOverridesBoth() throws Exception {
        var file = dir.resolve("lab.properties");
        Files.writeString(file, "web.http.management.port=1000\nedc.participant.id=lab-file\nlabspace.data.dir=data\n");
        var props = new Properties();
        props.setProperty("edc.participant.id", "lab-sysprop");

        var config = LabConfig.load(file, Map.of("WEB_HTTP_MANAGEMENT_PORT", "2000", "EDC_PARTICIPANT_ID", "lab-env"), props);

        assertThat(config.get("web.http.management.port")).isEqualTo("2000");
        assertThat(config.get("edc.participant.id")).isEqualTo("lab-sysprop");
        assertThat(config.fromFile("labspace.data.dir")).isTrue();
        assertThat(config.fromFile("web.http.management.port")).isFalse();
    }

    @Test
    void envToKey_followsEdcConvention() {
        assertThat(LabConfig.envToKey("LABSPACE_DATA_DIR")).isEqualTo("labspace.data.dir");
        assertThat(LabConfig.envToKey("WEB_HTTP_MANAGEMENT_PORT")).isEqualTo("web.http.management.port");
    }

    @Test
    void getPath_resolvesRelativeFileValuesAgainstTheFilesFolder() throws Exception {
        var sub = Files.createDirectories(dir.resolve("conf"));
        var file = sub.resolve("lab.properties");
        Files.writeString(file, "labspace.data.dir=data/lab-a\n");

        var fromFile = LabConfig.load(file, Map.of(), new Properties());
        assertThat(fromFile.getPath("labspace.data.dir")).isEqualTo(sub.resolve("data/lab-a").toAbsolutePath());

        var props = new Properties();
        props.setProperty("labspace.data.dir", "elsewhere");
        var fromProperty = LabConfig.load(file, Map.of(), props);
        assertThat(fromProperty.getPath("labspace.data.dir")).isEqualTo(Path.of("elsewhere").toAbsolutePath());
    }

    @Test
    void blankValues_countAsUnset() {
        var config = LabConfig.of(Map.of("edc.participant.id", "  "));
        assertThat(config.has("edc.participant.id")).isFalse();
        assertThat(config.get("edc.participant.id", "fallback")).isEqualTo("fallback");
    }

    @Test
    void load_missingFile_namesTheFile() {
        var missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> LabConfig.load(missing, Map.of(), new Properties()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config file not found").hasMessageContaining("nope.properties");
    }

    @Test
    void getInt_nonNumber_namesTheSetting() {
        var config = LabConfig.of(Map.of("web.http.port", "eighty"));
        assertThatThrownBy(() -> config.getInt("web.http.port"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'web.http.port'").hasMessageContaining("eighty");
    }
}
