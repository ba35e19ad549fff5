package org.labspace.connector.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.labspace.connector.cli.LabspaceCommand;
import org.labspace.connector.launch.LabProcess;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The research API on lab-lisbon: the administrator issues a researcher's key from the command line, the key is kept
 * only as a digest, the researcher searches the network with it, and a missing, wrong or revoked key is refused.
 */
@Tag("runtime")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResearchApiSystemTest {

    private Path dir;
    private LabProcess madrid;
    private LabProcess lisbon;
    private Path lisbonConfig;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("labspace-research");
        var file = dir.resolve("data/air.parquet");
        Files.createDirectories(file.getParent());
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("COPY (SELECT i::BIGINT AS id, (i % 50) / 2.0 AS pm25 FROM range(1000) t(i)) TO '" + file + "' (FORMAT parquet)");
        }
        var network = TestLab.network(dir);
        var madridConfig = TestLab.config(network, "lab-madrid", dir.resolve("madrid"), Map.of());
        var lisbonSettings = TestLab.config(network, "lab-lisbon", dir.resolve("lisbon"), Map.of());
        network.publish();
        madrid = TestLab.process("lab-madrid", TestLab.write(dir.resolve("madrid.properties"), madridConfig), dir).start(Duration.ofSeconds(180));
        lisbonConfig = TestLab.write(dir.resolve("lisbon.properties"), lisbonSettings);
        lisbon = TestLab.process("lab-lisbon", lisbonConfig, dir).start(Duration.ofSeconds(180));
        var provider = madrid.management();
        provider.post("/labspace/v1/policies", json.createObjectNode().put("template", "members-only").put("id", "members"));
        provider.registerDataset(Map.<String, Object>of("id", "air-quality", "path", file.toString(), "title", "Air quality", "keywords",
                java.util.List.of("air"), "policy", "members"));
        lisbon.management().post("/labspace/v1/federated/crawl", json.createObjectNode());
    }

    @AfterAll
    void stop() {
        if (lisbon != null) {
            lisbon.close();
        }
        if (madrid != null) {
            madrid.close();
        }
        TestLab.delete(dir);
    }

    @Test
    void aResearcherSearchesWithTheKeyTheAdministratorIssued_andARevokedKeyIsRefused() throws Exception {
        var added = cli("researcher", "add", "ana.silva", "--config", lisbonConfig.toString());
        var lines = added.strip().split("\n");
        var key = lines[lines.length - 1].strip();
        assertThat(key).startsWith("lsr_").hasSizeGreaterThan(40);

        // only the key's digest is stored
        var port = Integer.parseInt(lisbon.settings().get("labspace.database.embedded.port"));
        try (var db = DriverManager.getConnection(org.labspace.connector.database.EmbeddedPostgresServer.jdbcUrl(port, "labspace"),
                org.labspace.connector.database.EmbeddedPostgresServer.USER, "");
             var rows = db.createStatement().executeQuery("SELECT key_hash FROM labspace_researcher WHERE name = 'ana.silva'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8))))
                    .doesNotContain(key);
        }

        var found = research("/v1/datasets?q=air", key);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(json.readTree(found.body()).path("results").get(0).path("id").asText()).isEqualTo("air-quality");
        var one = research("/v1/datasets/lab-madrid/air-quality", key);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json.readTree(one.body()).path("rowCount").asLong()).isEqualTo(1000);
        assertThat(research("/v1/datasets/lab-madrid/nothing", key).statusCode()).isEqualTo(404);

        assertThat(research("/v1/datasets?q=air", null)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("no researcher key");
        });
        assertThat(research("/v1/datasets?q=air", key + "x").statusCode()).isEqualTo(401);

        assertThat(cli("researcher", "list", "--config", lisbonConfig.toString())).contains("ana.silva").contains("active");
        assertThat(cliFails("researcher", "add", "ana.silva", "--config", lisbonConfig.toString())).contains("exists");
        assertThat(cliFails("researcher", "add", "Ana Silva", "--config", lisbonConfig.toString())).contains("lower-case");

        cli("researcher", "revoke", "ana.silva", "--config", lisbonConfig.toString());
        assertThat(research("/v1/datasets?q=air", key)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("unknown or revoked");
        });
        assertThat(cli("researcher", "list", "--config", lisbonConfig.toString())).contains("revoked");
    }

    private HttpResponse<String> research(String path, String key) throws Exception {
        var url = "http://127.0.0.1:" + lisbon.settings().get("web.http.research.port") + "/research" + path;
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cli(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var exit = LabspaceCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as(String.join(" ", args) + ": " + err).isZero();
        return out.toString();
    }

    private static String cliFails(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var exit = LabspaceCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as(String.join(" ", args)).isNotZero();
        return err.toString();
    }
}
