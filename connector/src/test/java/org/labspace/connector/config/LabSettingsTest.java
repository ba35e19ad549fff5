package org.labspace.connector.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LabSettingsTest {

    @TempDir
    static Path keys;

    private static Map<String, String> minimal() {
        var values = new HashMap<String, String>();
        values.put("edc.participant.id", "lab-test");
        values.put("labspace.data.dir", "/tmp/lab-test");
        values.put("labspace.identity.key", file("lab.key"));
        values.put("labspace.network.operator-key", file("operator.pub"));
        values.put("labspace.network.registry", "https://operator.example/registry.jws");
        values.put("web.http.management.auth.key", "0123456789abcdef0123");
        return values;
    }

    private static String file(String name) {
        try {
            var file = keys.resolve(name);
            if (!Files.exists(file)) {
                Files.writeString(file, "only its readability is checked here");
            }
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void problems_minimalConfig_hasNone() {
        assertThat(LabSettings.problems(LabConfig.of(minimal()))).isEmpty();
    }

    @Test
    void problems_emptyConfig_namesEveryRequiredSetting() {
        var problems = LabSettings.problems(LabConfig.of(Map.of()));
        assertThat(String.join("\n", problems))
                .contains("'labspace.data.dir' is missing")
                .contains("'edc.participant.id' is missing")
                .contains("'labspace.identity.key' is missing")
                .contains("'labspace.network.operator-key' is missing")
                .contains("'labspace.network.registry' is missing")
                .contains("'web.http.management.auth.key' is missing");
    }

    @Test
    void problems_shortKey_mockIdentity_unreadableKey_badDurations_badPort_duplicatePort_badPath() {
        var values = minimal();
        values.put("web.http.management.auth.key", "short");
        values.put("labspace.identity", "insecure-dev");
        values.put("labspace.identity.key", keys.resolve("missing.key").toString());
        values.put("labspace.identity.token-lifetime", "PT10M");
        values.put("labspace.network.registry.refresh", "5 minutes");
        values.put("labspace.catalog.crawl-interval", "P2D");
        values.put("labspace.catalog.page-size", "lots");
        values.put("web.http.protocol.port", "http");
        values.put("web.http.control.port", "19193"); // the management default
        values.put("web.http.public.path", "public");
        var problems = String.join("\n", LabSettings.problems(LabConfig.of(values)));
        assertThat(problems)
                .contains("'web.http.management.auth.key' is too short")
                .contains("'labspace.identity' is not supported: a lab connector always uses its own key and the signed network registry")
                .contains("'labspace.identity.key': cannot read " + keys.resolve("missing.key"))
                .contains("'labspace.identity.token-lifetime' must be between PT10S and PT5M, got PT10M")
                .contains("'labspace.network.registry.refresh' must be an ISO-8601 duration such as PT2M, got '5 minutes'")
                .contains("'labspace.catalog.crawl-interval' must be between PT1S and PT24H, got P2D")
                .contains("'labspace.catalog.page-size' must be a whole number, got 'lots'")
                .contains("'web.http.protocol.port' must be a port number, got 'http'")
                .contains("both use port 19193")
                .contains("'web.http.public.path' must start with '/'");
    }

    @Test
    void problems_externalDatabaseWithoutUrl_andEmbeddedWithUrl() {
        var external = minimal();
        external.put("labspace.database.mode", "external");
        assertThat(LabSettings.problems(LabConfig.of(external))).singleElement().asString().contains("'edc.datasource.default.url' is missing");

        external.put("edc.datasource.default.url", "jdbc:mysql://db/x");
        assertThat(LabSettings.problems(LabConfig.of(external))).singleElement().asString().contains("must be a PostgreSQL JDBC URL");

        var embedded = minimal();
        embedded.put("edc.datasource.default.url", "jdbc:postgresql://db/x");
        assertThat(LabSettings.problems(LabConfig.of(embedded))).singleElement().asString().contains("set labspace.database.mode=external");

        var unknown = minimal();
        unknown.put("labspace.database.mode", "sqlite");
        assertThat(LabSettings.problems(LabConfig.of(unknown))).singleElement().asString().contains("'labspace.database.mode' has unknown value 'sqlite'");
    }

    @Test
    void problems_refusesStockTokenAuthentication() {
        var values = minimal();
        values.put("web.http.management.auth.type", "tokenbased");
        assertThat(LabSettings.problems(LabConfig.of(values))).singleElement().asString().contains("'web.http.management.auth.type'");
    }

    @Test
    void defaultsFor_fillsPortsAuthAndDerivesCallbackAddress() {
        var values = minimal();
        values.put("edc.hostname", "madrid.lab.example");
        values.put("web.http.protocol.port", "8282");
        var defaults = LabSettings.defaultsFor(LabConfig.of(values));

        assertThat(defaults)
                .containsEntry("web.http.management.port", "19193")
                .containsEntry("web.http.management.path", "/management")
                .containsEntry("web.http.management.auth.type", LabspaceApiKeyType.TYPE)
                .containsEntry("edc.sql.schema.autocreate", "true")
                .containsEntry("edc.component.id", "lab-test")
                .containsEntry("edc.dsp.callback.address", "http://madrid.lab.example:8282/protocol")
                .doesNotContainKey("web.http.protocol.port")  // set by the config: no default
                .doesNotContainKey("edc.hostname");
    }

    @Test
    void settingsReference_documentsEverySetting() throws Exception {
        var doc = Files.readString(Path.of("..", "docs", "settings.md"));
        for (var setting : LabSettings.all()) {
            assertThat(doc).as("docs/settings.md documents %s", setting.key()).contains("`" + setting.key() + "`");
        }
    }
}
