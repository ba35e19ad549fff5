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
        network.describe("lab-lisbon", "PT", "public-research", java.util.List.of());
        network.publish();
        madrid = TestLab.process("lab-madrid", TestLab.write(dir.resolve("madrid.properties"), madridConfig), dir).start(Duration.ofSeconds(180));
        lisbonConfig = TestLab.write(dir.resolve("lisbon.properties"), lisbonSettings);
        lisbon = TestLab.process("lab-lisbon", lisbonConfig, dir).start(Duration.ofSeconds(180));
        var provider = madrid.management();
        provider.post("/labspace/v1/policies", json.createObjectNode().put("template", "members-only").put("id", "members"));
        provider.registerDataset(Map.<String, Object>of("id", "air-quality", "path", file.toString(), "title", "Air quality", "keywords",
                java.util.List.of("air"), "policy", "members"));
        provider.post("/labspace/v1/policies", json.createObjectNode().put("file", "spain.yaml").put("source",
                "policy: spain-only\nallow:\n  - purpose: research.evaluation\n    when:\n      memberCountry: ES\n"));
        provider.registerDataset(Map.<String, Object>of("id", "air-quality-es", "path", file.toString(), "title", "Air quality (Spain only)",
                "policy", "spain-only"));
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
        // the API's description needs no key, and is the document kept in the repository
        assertThat(research("/v1/openapi.yaml", null)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
            assertThat(r.body()).isEqualTo(java.nio.file.Files.readString(java.nio.file.Path.of("../docs/api/research-api.yaml")));
        });
        assertThat(research("/v1/mine", null).statusCode()).as("only the document is public").isEqualTo(401);

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

    @Test
    void accessNegotiatesOnceThenReusesTheAgreement_andRefusalsSayWhy() throws Exception {
        var added = cli("researcher", "add", "bo.costa", "--config", lisbonConfig.toString()).strip().split("\n");
        var key = added[added.length - 1].strip();

        var first = access(key, "lab-madrid/air-quality", "research.ai-training");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        var granted = json.readTree(first.body());
        assertThat(granted.path("agreementReused").asBoolean()).isFalse();
        assertThat(granted.path("schema").findValuesAsText("name")).containsExactly("id", "pm25");
        assertThat(granted.path("schema").get(1).path("type").asText()).isEqualTo("FloatingPoint(DOUBLE)");
        var client = new org.labspace.dataplane.client.ArrowStreamClient(URI.create(granted.path("endpoint").asText()), granted.path("token").asText(),
                Duration.ofSeconds(30), 0);
        try (var allocator = new org.apache.arrow.memory.RootAllocator()) {
            assertThat(client.read(org.labspace.dataplane.client.StreamQuery.ALL, allocator, batch -> {
            }).rows()).isEqualTo(1000);
        }

        // the next read of the same dataset and purpose reuses the agreement and the researcher's running transfer
        var second = json.readTree(access(key, "lab-madrid/air-quality", "research.ai-training").body());
        assertThat(second.path("agreementReused").asBoolean()).isTrue();
        assertThat(second.path("agreementId").asText()).isEqualTo(granted.path("agreementId").asText());
        assertThat(second.path("transferReused").asBoolean()).isTrue();
        assertThat(second.path("transferId").asText()).isEqualTo(granted.path("transferId").asText());
        assertThat(second.path("token").asText()).isEqualTo(granted.path("token").asText());
        assertThat(second.path("schema")).isEqualTo(granted.path("schema"));
        // unless a new transfer is asked for
        var third = json.readTree(access(key, "lab-madrid/air-quality", "research.ai-training", true).body());
        assertThat(third.path("agreementReused").asBoolean()).isTrue();
        assertThat(third.path("transferReused").asBoolean()).isFalse();
        assertThat(third.path("transferId").asText()).isNotEqualTo(granted.path("transferId").asText());
        assertThat(access(key, "lab-madrid/air-quality", "research.ai-training", "yes").body()).contains("'newTransfer' must be true or false");
        // another purpose is another agreement
        assertThat(json.readTree(access(key, "lab-madrid/air-quality", "research.evaluation").body()).path("agreementReused").asBoolean()).isFalse();

        assertThat(access(key, "lab-madrid/air-quality", "commercial")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(json.readTree(r.body()).path("error").asText()).isEqualTo("AccessDenied");
            assertThat(r.body()).contains("offers air-quality for no purpose commercial; it is offered for research.non-commercial");
        });
        assertThat(access(key, "lab-madrid/air-quality-es", "research.evaluation")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(json.readTree(r.body()).path("constraints").toString()).contains("memberCountry: memberCountry of lab-lisbon is PT; required: country is ES");
        });
        assertThat(access(key, "lab-madrid/no-such-data", "education")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(json.readTree(r.body()).path("error").asText()).isEqualTo("DatasetNotFound");
        });
        assertThat(access(key, "lab-nowhere/air-quality", "education").statusCode()).isEqualTo(404);
        assertThat(access(key, "air-quality", "education").body()).contains("'dataset' must be LAB/ID");
        assertThat(access(key, "lab-madrid/air-quality", "fun").body()).contains("'purpose' must be one of");

        var mine = json.readTree(research("/v1/mine", key).body());
        assertThat(mine.path("agreements")).extracting(a -> a.path("purpose").asText()).containsExactlyInAnyOrder("research.ai-training", "research.evaluation");
        assertThat(mine.path("transfers")).hasSize(3);
        var details = json.readTree(research("/v1/datasets/lab-madrid/air-quality-es", key).body());
        assertThat(details.path("offers").get(0).path("conditions").toString()).contains("country is ES");

        // the provider revokes the agreement: the next access is refused, not silently renegotiated
        var revoked = new java.util.ArrayList<String>();
        for (var granted2 : madrid.management().get("/labspace/v1/agreements?consumer=lab-lisbon&dataset=air-quality")) {
            if ("research.ai-training".equals(granted2.path("purpose").asText())) {
                madrid.management().post("/labspace/v1/agreements/" + granted2.path("id").asText() + "/revoke", json.createObjectNode().put("reason", "study ended"));
                revoked.add(granted2.path("id").asText());
            }
        }
        assertThat(access(key, "lab-madrid/air-quality", "research.ai-training", true)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(json.readTree(r.body()).path("error").asText()).isEqualTo("AgreementExpired");
            assertThat(json.readTree(r.body()).path("message").asText()).contains("the next access asks lab-madrid for a new agreement");
        });
        // told once, the researcher asks again: madrid's unchanged policy grants a new agreement, whose token works
        var again = access(key, "lab-madrid/air-quality", "research.ai-training");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        var renewed = json.readTree(again.body());
        assertThat(renewed.path("agreementReused").asBoolean()).isFalse();
        assertThat(revoked).isNotEmpty().doesNotContain(renewed.path("agreementId").asText());
        var info = http.send(HttpRequest.newBuilder(URI.create(renewed.path("endpoint").asText() + "/v1/info"))
                .header("Authorization", "Bearer " + renewed.path("token").asText()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(info.statusCode()).as(info.body()).isEqualTo(200);

        var audit = lisbon.management().get("/labspace/v1/audit?kind=access").toString();
        assertThat(audit).contains("\"researcher\":\"bo.costa\"", "agreement negotiated for research.ai-training", "agreement reused", "\"decision\":\"refused\"");
    }

    @Test
    void anOfferChangedSinceTheResearcherLookedAtIt_isAskedForAgain() throws Exception {
        var added = cli("researcher", "add", "cy.lima", "--config", lisbonConfig.toString()).strip().split("\n");
        var key = added[added.length - 1].strip();
        var provider = madrid.management();
        provider.post("/labspace/v1/policies", json.createObjectNode().put("file", "changing.yaml").put("source",
                "policy: changing\nallow:\n  - name: first\n    purpose: education\n    duties:\n      attribution: first terms\n"));
        provider.registerDataset(Map.<String, Object>of("id", "air-changing", "path", dir.resolve("data/air.parquet").toString(), "title", "Air (changing terms)",
                "policy", "changing"));
        lisbon.management().post("/labspace/v1/federated/crawl", json.createObjectNode());
        // the researcher looks at the dataset (lab.dataset() in Python): this lab remembers the offers it was shown
        var shown = json.readTree(research("/v1/datasets/lab-madrid/air-changing", key).body());
        assertThat(shown.path("duties").toString()).contains("first terms");

        provider.post("/labspace/v1/policies", json.createObjectNode().put("file", "changing.yaml").put("source",
                "policy: changing\nallow:\n  - name: second\n    purpose: education\n    duties:\n      attribution: second terms\n"));
        var granted = access(key, "lab-madrid/air-changing", "education");
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        assertThat(json.readTree(granted.body()).path("duties").toString()).contains("second terms").doesNotContain("first terms");
        assertThat(lisbon.management().get("/labspace/v1/audit?kind=access&decision=refused").toString()).as("the stale try is not a refusal")
                .doesNotContain("air-changing");
    }

    private HttpResponse<String> access(String key, String dataset, String purpose) throws Exception {
        return access(key, dataset, purpose, null);
    }

    private HttpResponse<String> access(String key, String dataset, String purpose, Object newTransfer) throws Exception {
        var url = "http://127.0.0.1:" + lisbon.settings().get("web.http.research.port") + "/research/v1/access";
        var fields = json.createObjectNode().put("dataset", dataset).put("purpose", purpose);
        if (newTransfer != null) {
            fields.set("newTransfer", json.valueToTree(newTransfer));
        }
        var body = fields.toString();
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
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
