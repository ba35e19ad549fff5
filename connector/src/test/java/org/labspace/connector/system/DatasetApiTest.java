package org.labspace.connector.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.labspace.connector.client.ManagementApiException;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.launch.LabProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A lab administrator registers Parquet datasets through the Management API: what is recorded, what the DSP catalog
 * then shows, and that bad input is refused with nothing half-registered.
 */
@Tag("runtime")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatasetApiTest {

    private Path dir;
    private LabProcess lab;
    private ManagementClient management;
    private Path airQuality;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("labspace-datasets");
        airQuality = parquet(dir.resolve("data/air-quality.parquet"), 5000);
        lab = TestLab.process("lab-madrid", TestLab.write(dir.resolve("lab.properties"),
                TestLab.soloConfig(dir, "lab-madrid", dir.resolve("lab"), Map.of())), dir).start(Duration.ofSeconds(180));
        management = lab.management();
        management.createPolicy("members-only", management.emptyPolicy());
        management.createPolicy("non-commercial", management.emptyPolicy());
    }

    @AfterAll
    void stop() {
        if (lab != null) {
            lab.close();
        }
        TestLab.delete(dir);
    }

    private static Path parquet(Path file, int rows) throws Exception {
        Files.createDirectories(file.getParent());
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("CREATE TABLE readings (id BIGINT NOT NULL, station INTEGER, pm25 DOUBLE, city VARCHAR)");
            statement.execute("INSERT INTO readings SELECT range, range % 10, (range % 50) / 2.0, 'Madrid' FROM range(" + rows + ")");
            statement.execute("COPY readings TO '" + file.toString().replace("'", "''") + "' (FORMAT parquet)");
        }
        return file;
    }

    private Map<String, Object> registration(String id, Path path) {
        var body = new HashMap<String, Object>();
        body.put("id", id);
        body.put("path", path.toString());
        body.put("title", "Madrid air quality sensors");
        body.put("description", "PM2.5 readings from 10 stations");
        body.put("keywords", List.of("air", "spain"));
        body.put("license", "CC-BY-4.0");
        body.put("accessPolicy", "members-only");
        body.put("usagePolicy", "non-commercial");
        return body;
    }

    private JsonNode ownCatalog() {
        return management.requestCatalog(lab.protocolUrl().toString(), "lab-madrid");
    }

    @Test
    @Order(1)
    void register_recordsWhatTheFilesSay_andTheCatalogOffersIt() {
        var dataset = management.registerDataset(registration("air-quality", airQuality));

        assertThat(dataset.path("rowCount").asLong()).isEqualTo(5000);
        assertThat(dataset.path("fileCount").asInt()).isEqualTo(1);
        assertThat(dataset.path("version").asInt()).isEqualTo(1);
        assertThat(dataset.path("offered").asBoolean()).isTrue();
        assertThat(dataset.path("schema")).extracting(c -> c.path("name").asText()).containsExactly("id", "station", "pm25", "city");
        assertThat(dataset.path("schema").get(0).path("nullable").asBoolean()).isFalse();
        assertThat(management.getDataset("air-quality").path("fingerprint").asText()).isEqualTo(dataset.path("fingerprint").asText());
        assertThat(management.listDatasets(false)).extracting(d -> d.path("id").asText()).containsExactly("air-quality");

        var croissant = management.get("/labspace/v1/datasets/air-quality/croissant");
        assertThat(croissant.path("@type").asText()).isEqualTo("sc:Dataset");
        assertThat(croissant.path("conformsTo").asText()).isEqualTo("http://mlcommons.org/croissant/1.0");
        assertThat(croissant.path("recordSet").get(0).path("field")).extracting(f -> f.path("name").asText())
                .containsExactly("id", "station", "pm25", "city");

        var offered = ManagementClient.datasets(ownCatalog());
        assertThat(offered).hasSize(1);
        var text = offered.get(0).toString();
        assertThat(text).contains("Madrid air quality sensors").contains("CC-BY-4.0").contains("spain").contains("5000")
                .contains("lab-madrid")
                .as("where the files are stays inside the lab").doesNotContain(airQuality.toString());
        assertThat(offered.get(0).path("distribution").toString()).as("offered for the Arrow transfer type only")
                .contains("ArrowStream-PULL").doesNotContain("HttpData").doesNotContain("PUSH");
    }

    @Test
    @Order(2)
    void badInput_isRefusedNamingTheProblem_andNothingIsHalfRegistered() throws IOException {
        var assetsBefore = management.queryAssets().size();
        var definitionsBefore = management.queryContractDefinitions().size();

        assertRefused(registration("air-quality", airQuality), 409, "dataset 'air-quality' already exists");
        assertRefused(registration("missing", dir.resolve("nope.parquet")), 400, "nope.parquet does not exist");
        var csv = Files.writeString(dir.resolve("data/readings.parquet"), "id,pm25\n1,2.0\n");
        assertRefused(registration("csv", csv), 400, "is not a Parquet file");
        Files.createDirectories(dir.resolve("data/empty"));
        assertRefused(registration("empty", dir.resolve("data/empty")), 400, "holds no .parquet files");
        var unknownPolicy = registration("other", airQuality);
        unknownPolicy.put("usagePolicy", "no-such-policy");
        assertRefused(unknownPolicy, 400, "unknown policy 'no-such-policy'");
        var badId = registration("Air Quality!", airQuality);
        badId.remove("title");
        assertRefused(badId, 400, "'id' must be");
        assertRefused(badId, 400, "'title' is missing");
        var typo = registration("typo", airQuality);
        typo.put("licence", "CC0");
        assertRefused(typo, 400, "unknown field(s) [licence]");

        assertThat(management.queryAssets()).hasSize(assetsBefore);
        assertThat(management.queryContractDefinitions()).hasSize(definitionsBefore);
    }

    @Test
    @Order(3)
    void changedFiles_raiseTheVersion_andWithdrawingTakesTheOfferOutOfTheCatalog() throws Exception {
        var unchanged = management.updateDataset("air-quality", registration("air-quality", airQuality));
        assertThat(unchanged.path("version").asInt()).isEqualTo(1);

        parquet(dir.resolve("data/air-quality-v2.parquet"), 6000);
        Files.move(dir.resolve("data/air-quality-v2.parquet"), airQuality, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var changed = management.updateDataset("air-quality", registration("air-quality", airQuality));
        assertThat(changed.path("version").asInt()).isEqualTo(2);
        assertThat(changed.path("rowCount").asLong()).isEqualTo(6000);

        var withdrawn = management.withdrawDataset("air-quality");
        assertThat(withdrawn.path("offered").asBoolean()).isFalse();
        assertThat(ManagementClient.datasets(ownCatalog())).isEmpty();
        assertThat(management.listDatasets(false)).isEmpty();
        assertThat(management.listDatasets(true)).extracting(d -> d.path("id").asText()).containsExactly("air-quality");
        assertThat(management.getAsset("air-quality").path("@id").asText()).as("the record stays").isEqualTo("air-quality");

        assertThatThrownBy(() -> management.getDataset("nope"))
                .isInstanceOfSatisfying(ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("no dataset 'nope' in this lab");
    }

    @Test
    @Order(4)
    void concurrentRegistrations_underANewPolicyPair_allSucceed() throws Exception {
        management.createPolicy("open-research", management.emptyPolicy());
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<JsonNode>>();
            for (var i = 0; i < 8; i++) {
                var body = registration("parallel-" + i, airQuality);
                body.put("usagePolicy", "open-research");
                results.add(pool.submit(() -> management.registerDataset(body)));
            }
            for (var result : results) {
                assertThat(result.get().path("version").asInt()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(management.queryContractDefinitions()).extracting(d -> d.path("@id").asText())
                .containsOnlyOnce("labspace-offer.members-only.open-research");
    }

    @Test
    @Order(5)
    void commandLine_addsListsShowsAndSearches() throws Exception {
        var cli = Files.writeString(dir.resolve("cli.properties"), "web.http.management.port=" + lab.managementUrl().getPort() + "\n"
                + "web.http.management.auth.key=" + TestLab.API_KEY + "\n");
        var second = parquet(dir.resolve("data/second.parquet"), 10);

        var add = cli("dataset", "add", "--config", cli.toString(), "--id", "second", "--path", second.toString(), "--title", "Second",
                "--keyword", "test", "--access-policy", "members-only", "--usage-policy", "non-commercial");
        assertThat(add[0]).as(add[2]).isEqualTo("0");
        assertThat(add[1]).contains("registered 'second' v1: 10 rows in 1 file(s)");
        var list = cli("dataset", "list", "--config", cli.toString(), "--withdrawn");
        assertThat(list[1]).contains("second").contains("air-quality").contains("(withdrawn)");
        assertThat(cli("dataset", "show", "second", "--config", cli.toString())[1]).contains("\"fingerprint\"");
        var update = cli("dataset", "update", "second", "--config", cli.toString(), "--title", "Second, renamed");
        assertThat(update[1]).contains("updated 'second' v1");
        assertThat(management.getDataset("second").path("keywords").get(0).asText()).as("options not given are kept").isEqualTo("test");
        // a Labspace policy given to update replaces the EDC policy pair the dataset had
        var policy = Files.writeString(dir.resolve("open.yaml"), "policy: open-to-members\nallow:\n  - name: research\n    purpose: research.non-commercial\n");
        assertThat(cli("policy", "apply", policy.toString(), "--config", cli.toString())[0]).isEqualTo("0");
        var switched = cli("dataset", "update", "second", "--config", cli.toString(), "--policy", "open-to-members");
        assertThat(switched[0]).as(switched[2]).isEqualTo("0");
        assertThat(management.getDataset("second").path("accessPolicy").asText()).isEqualTo("open-to-members");

        var bad = cli("dataset", "add", "--config", cli.toString(), "--id", "bad", "--path", dir.resolve("nope").toString(), "--title", "Bad",
                "--access-policy", "members-only", "--usage-policy", "non-commercial");
        assertThat(bad[0]).isEqualTo("1");
        assertThat(bad[2]).contains("labspace: ").contains("nope does not exist");
        assertThat(cli("dataset", "show", "nope", "--config", cli.toString())[2]).contains("no dataset 'nope' in this lab");
        assertThat(cli("search", "air", "--config", cli.toString())[1]).contains("no datasets found");
    }

    /** What fuzzing the admin API (clients/python/tests/test_api_fuzz.py) found; each answered 500, HTML or text before. */
    @Test
    @Order(3)
    void malformedRequests_getA4xxWithAJsonMessage() throws Exception {
        var keywordNull = send("POST", "/labspace/v1/datasets", "{\"id\": \"x\", \"keywords\": [null]}");
        assertThat(keywordNull.statusCode()).isEqualTo(400);
        assertThat(keywordNull.body()).contains("'keywords' holds a null");

        var notJson = send("POST", "/labspace/v1/datasets", "{bad");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(json(notJson).path("message").asText()).startsWith("the request body is not the JSON expected");
        var notAnObject = send("POST", "/labspace/v1/policies/validate", "[1]");
        assertThat(notAnObject.statusCode()).isEqualTo(400);
        assertThat(json(notAnObject).path("message").asText()).startsWith("the request body is not the JSON expected");

        var nul = send("GET", "/labspace/v1/agreements?dataset=%00x", null);
        assertThat(nul.statusCode()).as("a NUL reached PostgreSQL: 500").isEqualTo(400);
        assertThat(json(nul).path("message").asText()).contains("'dataset' holds a NUL character");
        var nulTitle = registration("nul", airQuality);
        nulTitle.put("title", "a\u0000b");
        assertRefused(nulTitle, 400, "'title' holds a NUL character");

        var badLimit = send("GET", "/labspace/v1/federated/datasets?limit=ten", null);
        assertThat(badLimit.statusCode()).as("a bad number is a 400, not Jersey's 404").isEqualTo(400);
        assertThat(json(badLimit).path("message").asText()).contains("'limit' must be a whole number between 1 and 10000, got 'ten'");

        var noSuchPath = send("GET", "/labspace/v1/nothing", null);
        assertThat(noSuchPath.statusCode()).isEqualTo(404);
        assertThat(json(noSuchPath).path("message").asText()).as("Jetty's own refusals are JSON too").isNotEmpty();
        var controlCharacter = send("GET", "/labspace/v1/datasets/a%01b", null);
        assertThat(controlCharacter.statusCode()).isEqualTo(400);
        assertThat(json(controlCharacter).path("message").asText()).isNotEmpty();
        var deleteControlCharacter = send("DELETE", "/labspace/v1/researchers/a%01b", null);
        assertThat(deleteControlCharacter.statusCode()).isEqualTo(400);
        assertThat(json(deleteControlCharacter).path("message").asText()).as("Jetty wrote no body for a DELETE").isNotEmpty();
    }

    @Test
    @Order(3)
    void theAdminApiDocument_isServedWithTheKey_andOnlyWithIt() throws Exception {
        var document = send("GET", "/labspace/v1/openapi.yaml", null);
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).startsWith("openapi: 3.0.3").contains("Labspace admin API");
        var noKey = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(lab.managementUrl() + "/labspace/v1/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.body()).contains("X-Api-Key header missing");
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
        var key = new java.util.Properties();
        try (var in = Files.newInputStream(dir.resolve("lab.properties"))) {
            key.load(in);
        }
        var request = HttpRequest.newBuilder(URI.create(lab.managementUrl() + pathAndQuery))
                .header("X-Api-Key", key.getProperty("web.http.management.auth.key"))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("json"));
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    private static String[] cli(String... args) {
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        var code = org.labspace.connector.cli.LabspaceCommand.execute(args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        return new String[]{String.valueOf(code), out.toString(), err.toString()};
    }

    private void assertRefused(Map<String, Object> body, int status, String message) {
        assertThatThrownBy(() -> management.registerDataset(body))
                .isInstanceOfSatisfying(ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessageContaining(message);
    }
}
