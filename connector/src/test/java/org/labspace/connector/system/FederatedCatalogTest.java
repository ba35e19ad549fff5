package org.labspace.connector.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labspace.connector.launch.LabProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * lab-lisbon crawls the network's catalogs: lab-madrid (a real connector with a registered dataset) and four
 * misbehaving members played by WireMock or nobody. Search finds madrid's dataset by keyword and by column; each bad
 * peer gets its own error and none holds up the rest; the index survives a restart.
 */
@Tag("runtime")
class FederatedCatalogTest {

    @TempDir
    Path dir;

    @Test
    void crawlAndSearch_withMisbehavingPeers() throws Exception {
        var peers = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        peers.start();
        try {
            peers.stubFor(any(anyUrl()).atPriority(5).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{not json")));
            peers.stubFor(any(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/slow/.*")).atPriority(1)
                    .willReturn(aResponse().withStatus(200).withFixedDelay(8_000).withBody("{}")));
            peers.stubFor(any(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/failing/.*")).atPriority(1)
                    .willReturn(aResponse().withStatus(500).withBody("internal error")));
            peers.stubFor(any(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/huge/.*")).atPriority(1)
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(hugeCatalog(1500))));

            var network = TestLab.network(dir);
            var base = "http://127.0.0.1:" + peers.port();
            network.peer("lab-garbage", base + "/garbage/protocol");
            network.peer("lab-slow", base + "/slow/protocol");
            network.peer("lab-failing", base + "/failing/protocol");
            network.peer("lab-huge", base + "/huge/protocol");
            network.peer("lab-down", "http://127.0.0.1:" + TestLab.freePort() + "/down/protocol");
            var madridConfig = TestLab.config(network, "lab-madrid", dir.resolve("madrid"), Map.of());
            var lisbonConfig = TestLab.config(network, "lab-lisbon", dir.resolve("lisbon"), Map.of(
                    "labspace.catalog.peer-timeout", "PT4S",
                    "labspace.catalog.max-datasets-per-lab", "1000",
                    "labspace.catalog.crawl-interval", "PT1H",
                    "edc.core.retry.retries.max", "0"));
            network.publish();

            try (var madrid = TestLab.process("lab-madrid", TestLab.write(dir.resolve("madrid.properties"), madridConfig), dir).start(Duration.ofSeconds(180));
                 var lisbon = TestLab.process("lab-lisbon", TestLab.write(dir.resolve("lisbon.properties"), lisbonConfig), dir).start(Duration.ofSeconds(180))) {
                var m = madrid.management();
                m.createPolicy("members-only", m.emptyPolicy());
                m.createPolicy("non-commercial", m.emptyPolicy());
                m.registerDataset(registration("air-quality", parquet(dir.resolve("air.parquet"))));

                var started = System.nanoTime();
                var peersAfterCrawl = lisbon.management().post("/labspace/v1/federated/crawl", new ObjectMapper().createObjectNode());
                var seconds = (System.nanoTime() - started) / 1e9;
                assertThat(seconds).as("bad peers are crawled side by side, each within its own time limit").isLessThan(20);

                var status = new HashMap<String, JsonNode>();
                peersAfterCrawl.forEach(p -> status.put(p.path("lab").asText(), p));
                assertThat(status.get("lab-madrid").path("lastError").isNull()).as(status.get("lab-madrid").toString()).isTrue();
                assertThat(status.get("lab-madrid").path("datasets").asInt()).isEqualTo(1);
                assertThat(status.get("lab-garbage").path("lastError").asText()).isNotBlank();
                assertThat(status.get("lab-slow").path("lastError").asText()).contains("within 4 s");
                assertThat(status.get("lab-failing").path("lastError").asText()).isNotBlank();
                assertThat(status.get("lab-huge").path("lastError").asText()).contains("more than 1000 datasets");
                assertThat(status.get("lab-down").path("lastError").asText()).isNotBlank();
                assertThat(status).doesNotContainKey("lab-lisbon");

                assertFinds(lisbon, "?q=air", "air-quality");
                assertFinds(lisbon, "?column=pm25", "air-quality");
                assertFinds(lisbon, "?q=spain&lab=lab-madrid&license=CC-BY-4.0", "air-quality");
                assertThat(lisbon.management().get("/labspace/v1/federated/datasets?q=energy").path("total").asInt()).isZero();
                var hit = lisbon.management().get("/labspace/v1/federated/datasets?q=air").path("results").get(0);
                assertThat(hit.path("lab").asText()).isEqualTo("lab-madrid");
                assertThat(hit.path("rowCount").asLong()).isEqualTo(1000);
                assertThat(hit.path("schemaSummary").asText()).isEqualTo("3 columns: station, pm25, city");
                assertThat(hit.path("fetchedAt").asText()).isNotBlank();

                var croissant = lisbon.management().get("/labspace/v1/federated/datasets/lab-madrid/air-quality/croissant");
                assertThat(croissant.path("publisher").path("name").asText()).isEqualTo("lab-madrid");
                assertThat(croissant.path("recordSet").get(0).path("field")).extracting(f -> f.path("dataType").asText())
                        .containsExactly("sc:Integer", "sc:Float", "sc:Text");
                assertThatThrownBy(() -> lisbon.management().get("/labspace/v1/federated/datasets/lab-madrid/nope/croissant"))
                        .hasMessageContaining("no dataset 'nope' of lab 'lab-madrid'");

                // a restart starts from the last crawl
                lisbon.stop(Duration.ofSeconds(30));
                lisbon.start(Duration.ofSeconds(180));
                assertFinds(lisbon, "?column=PM25", "air-quality");
            }
        } finally {
            peers.stop();
        }
    }

    private static void assertFinds(LabProcess lab, String query, String datasetId) {
        var result = lab.management().get("/labspace/v1/federated/datasets" + query);
        assertThat(result.path("results")).as(query + " -> " + result).extracting(r -> r.path("id").asText()).containsExactly(datasetId);
    }

    private static Map<String, Object> registration(String id, Path path) {
        var body = new HashMap<String, Object>();
        body.put("id", id);
        body.put("path", path.toString());
        body.put("title", "Madrid air quality sensors");
        body.put("keywords", List.of("air", "spain"));
        body.put("license", "CC-BY-4.0");
        body.put("accessPolicy", "members-only");
        body.put("usagePolicy", "non-commercial");
        return body;
    }

    private static Path parquet(Path file) throws Exception {
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("COPY (SELECT range % 10 AS station, (range % 50) / 2.0 AS pm25, 'Madrid' AS city FROM range(1000)) TO '"
                    + file.toString().replace("'", "''") + "' (FORMAT parquet)");
        }
        return file;
    }

    private static String hugeCatalog(int datasets) {
        var json = new StringBuilder("{\"@type\":\"Catalog\",\"dataset\":[");
        for (var i = 0; i < datasets; i++) {
            json.append(i == 0 ? "" : ",").append("{\"@id\":\"d").append(i).append("\",\"dct:title\":\"dataset ").append(i).append("\"}");
        }
        return json.append("]}").toString();
    }
}
