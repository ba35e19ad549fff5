package org.labspace.samples;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labspace.connector.cli.LabspaceCommand;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.launch.LabProcess;
import org.labspace.connector.client.ManagementApiException;
import org.labspace.connector.launch.LocalLab;
import org.labspace.connector.launch.LocalNetwork;
import org.labspace.connector.vault.FileSecretStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * lab-madrid and lab-lisbon as two connector processes from the built jar, each with its embedded PostgreSQL, using
 * the sample configs (ports, data folders and identities overridden with -D, which must win over the file), and
 * real identities: each lab's own key and a signed registry. Madrid publishes,
 * lisbon negotiates to FINALIZED, both hold the agreement; madrid restarts and still has everything.
 */
@Tag("runtime")
class TwoLabSystemTest {

    private static final Path SAMPLE = Path.of("iberian-network");

    @TempDir
    Path dir;

    private LabProcess madrid;
    private LabProcess lisbon;
    private LabProcess rogue;

    @AfterEach
    void stop() {
        if (madrid != null) {
            madrid.close();
        }
        if (lisbon != null) {
            lisbon.close();
        }
        if (rogue != null) {
            rogue.close();
        }
    }

    @Test
    void twoLabsNegotiate_andTheProviderKeepsEverythingAcrossARestart() throws Exception {
        var network = new LocalNetwork(dir.resolve("network"), "iberian-ai-labs");
        var madridIdentity = network.lab("lab-madrid", dir.resolve("lab-madrid"), "unused-management-key-0000", Map.of("labspace.database.embedded.port", "0"));
        var lisbonIdentity = network.lab("lab-lisbon", dir.resolve("lab-lisbon"), "unused-management-key-0000", Map.of("labspace.database.embedded.port", "0"));
        // as the sample's setup.sh registers them
        network.describe("lab-madrid", "ES", "university", List.of("ethics-board-approved"));
        network.describe("lab-lisbon", "PT", "public-research", List.of("ethics-board-approved"));
        network.publish();
        madrid = lab("lab-madrid", madridIdentity);
        lisbon = lab("lab-lisbon", lisbonIdentity);
        var story = new ByteArrayOutputStream();

        var consumerAgreementId = new IberianNetwork(new PrintStream(story, true, StandardCharsets.UTF_8), dir.resolve("datasets"),
                Path.of("iberian-network/policies")).run(madrid, lisbon);

        assertThat(story.toString(StandardCharsets.UTF_8)).contains("[7/10] both labs hold the agreement").contains("FINALIZED in")
                .contains("[8/10] lab-lisbon pulls air-quality").contains("rows identical to lab-madrid's files: 1,315,200 of 1,315,200")
                .contains("'air': lab-madrid/air-quality")
                .contains("purpose research.non-commercial")
                .contains("[9/10] lab-lisbon pulls clinical-sandbox").contains("5,000 rows; first row as lab-lisbon received it: full_name=")
                .contains("[10/10] lab-madrid asks for lab-lisbon's solar-irradiance")
                .contains("FAIL memberCountry: memberCountry of lab-madrid is ES; required: country is PT");
        // three policies in use, one denying a participant, one masking columns
        assertThat(madrid.management().get("/labspace/v1/policies")).extracting(p -> p.path("id").asText())
                .containsExactlyInAnyOrder("members-research", "clinical-iberian");
        assertThat(lisbon.management().get("/labspace/v1/policies")).extracting(p -> p.path("id").asText())
                .containsExactlyInAnyOrder("energy-attribution", "portugal-only");
        // the researcher's search from lisbon finds madrid's datasets by keyword and by column
        assertThat(lisbon.management().get("/labspace/v1/federated/datasets?q=clinical").path("results"))
                .extracting(r -> r.path("lab").asText() + "/" + r.path("id").asText()).containsExactly("lab-madrid/clinical-sandbox");
        assertThat(lisbon.management().get("/labspace/v1/federated/datasets?column=diagnosis_icd10").path("results"))
                .extracting(r -> r.path("id").asText()).containsExactly("clinical-sandbox");
        assertThat(madrid.management().listDatasets(false)).extracting(d -> d.path("id").asText()).containsExactlyInAnyOrder("air-quality", "clinical-sandbox");
        assertThat(madrid.management().getDataset("air-quality").path("fileCount").asInt()).as("partitioned by year").isEqualTo(3);
        var consumerAgreement = lisbon.management().getAgreement(consumerAgreementId);
        assertThat(consumerAgreement.path("assetId").asText()).isEqualTo(IberianNetwork.DATASET);
        assertThat(consumerAgreement.path("providerId").asText()).isEqualTo("lab-madrid");
        assertThat(consumerAgreement.path("consumerId").asText()).isEqualTo("lab-lisbon");
        var sharedId = consumerAgreement.path("agreementId").asText();
        var providerAgreement = providerAgreement(madrid.management(), sharedId);
        assertThat(providerAgreement.path("assetId").asText()).isEqualTo(IberianNetwork.DATASET);
        assertThat(providerAgreement.path("consumerId").asText()).isEqualTo("lab-lisbon");
        var dataTokenKey = vault(madrid).get("labspace-data-token-private");
        assertThat(dataTokenKey).startsWith("-----BEGIN PRIVATE KEY-----");

        assertThat(madrid.stop(Duration.ofSeconds(30))).as("clean stop on SIGTERM").isIn(0, 143);
        madrid.start(Duration.ofSeconds(180));

        var afterRestart = madrid.management();
        assertThat(afterRestart.getDataset(IberianNetwork.DATASET).path("title").asText()).contains("Madrid air quality");
        assertThat(afterRestart.get("/labspace/v1/policies/clinical-iberian").path("yaml").asText()).contains("maskedColumns: [full_name, birth_date:null]", "deniedColumns: [postal_code]");
        assertThat(afterRestart.queryContractDefinitions()).extracting(c -> c.path("@id").asText())
                .contains("members-research~research~research.non-commercial", "clinical-iberian~ethics-approved~research.evaluation");
        assertThat(providerAgreement(afterRestart, sharedId).path("@id").asText()).isEqualTo(providerAgreement.path("@id").asText());
        assertThat(afterRestart.queryNegotiations()).anySatisfy(n -> {
            assertThat(n.path("state").asText()).isEqualTo("FINALIZED");
            assertThat(n.path("contractAgreementId").asText()).isEqualTo(providerAgreement.path("@id").asText());
        });
        assertThat(vault(madrid).get("labspace-data-token-private")).as("vault keys survive").isEqualTo(dataTokenKey);

        // the restarted provider still negotiates
        var catalog = lisbon.management().requestCatalog(madrid.protocolUrl().toString(), "lab-madrid");
        var offer = ManagementClient.offerFor(ManagementClient.datasets(catalog).stream()
                .filter(d -> IberianNetwork.DATASET.equals(d.path("@id").asText())).findFirst().orElseThrow(), "research.ai-training");
        var second = lisbon.management().awaitNegotiation(
                lisbon.management().negotiateOffer(madrid.protocolUrl().toString(), "lab-madrid", IberianNetwork.DATASET, offer), Duration.ofSeconds(60));
        assertThat(second.path("state").asText()).isEqualTo("FINALIZED");
        assertThat(lisbon.management().queryAgreements()).hasSize(3);

        // the admin command line talks to the running connector
        var cliConfig = cliConfig(lisbon);
        var out = new StringWriter();
        var err = new StringWriter();
        var exit = LabspaceCommand.execute(new String[]{"agreement", "list", "--config", cliConfig.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains(consumerAgreementId).contains(IberianNetwork.DATASET).contains("lab-madrid");

        // the policy officer's commands on lab-madrid
        var madridCli = cliConfig(madrid);
        assertThat(cli("policy", "list", "--config", madridCli.toString())).contains("clinical-iberian", "members-research");
        assertThat(cli("policy", "explain", "clinical-iberian", "--participant", "lab-lisbon", "--purpose", "research.evaluation", "--config", madridCli.toString()))
                .contains("agreement: GRANTED under rule ethics-approved", "data: with full_name replaced by a salted hash, birth_date blanked");
        assertThat(cli("policy", "validate", SAMPLE.resolve("policies/clinical-iberian.yaml").toString(), "--config", madridCli.toString()))
                .startsWith("valid: policy clinical-iberian");
        assertThat(cli("agreement", "granted", "--dataset", "clinical-sandbox", "--config", madridCli.toString()))
                .contains("lab-lisbon", "research.evaluation", "active");
        assertThat(cli("audit", "--kind", "stream", "--config", madridCli.toString())).contains("started", "lab-lisbon", "clinical-sandbox", "column full_name hashed");

        // a third connector with a valid-looking key, trusting a registry of its own making, is refused by both labs
        var fake = new LocalNetwork(dir.resolve("fake-network"), "iberian-ai-labs");
        fake.peer("lab-madrid", madrid.protocolUrl().toString());
        fake.peer("lab-lisbon", lisbon.protocolUrl().toString());
        var rogueConfig = fake.lab("lab-rogue", dir.resolve("lab-rogue"), "rogue-management-key-0000", Map.of(
                "labspace.database.embedded.port", "0", "edc.negotiation.consumer.send.retry.limit", "1"));
        fake.publish();
        rogue = LabProcess.of("lab-rogue", LocalLab.write(dir.resolve("lab-rogue.properties"), rogueConfig), Map.of(), dir.resolve("lab-rogue.log"))
                .start(Duration.ofSeconds(180));
        for (var victim : List.of(madrid, lisbon)) {
            assertThatThrownBy(() -> rogue.management().requestCatalog(victim.protocolUrl().toString(), victim.participantId()))
                    .isInstanceOf(ManagementApiException.class);
            var attempt = rogue.management().negotiate(victim.protocolUrl().toString(), victim.participantId(), offer.path("@id").asText(), IberianNetwork.DATASET);
            assertThat(rogue.management().awaitNegotiation(attempt, Duration.ofSeconds(90)).path("state").asText()).isEqualTo("TERMINATED");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(victim.logFile()))
                    .contains("Refused a Dataspace Protocol request: 'lab-rogue' is not a member of network 'iberian-ai-labs'"));
        }
        assertThat(madrid.management().queryNegotiations()).noneSatisfy(n -> assertThat(n.path("counterPartyId").asText()).isEqualTo("lab-rogue"));
        assertThat(lisbon.management().queryNegotiations()).noneSatisfy(n -> assertThat(n.path("counterPartyId").asText()).isEqualTo("lab-rogue"));
    }

    /** The sample's config file, with data folder, ports and identity of a test network overriding it (-D). */
    private LabProcess lab(String name, Map<String, String> testNetworkConfig) {
        var overrides = new HashMap<>(testNetworkConfig);
        // the management key is the sample file's
        overrides.remove("web.http.management.auth.key");
        return LabProcess.of(name, SAMPLE.resolve(name + ".properties"), overrides, dir.resolve(name + ".log"));
    }

    /** Runs a command line against a running lab; returns what it printed, failing on a non-zero exit. */
    private static String cli(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var exit = LabspaceCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as(String.join(" ", args) + ": " + err).isZero();
        return out.toString();
    }

    private Path cliConfig(LabProcess lab) throws IOException {
        return Files.writeString(dir.resolve(lab.name() + "-cli.properties"),
                "web.http.management.port=" + lab.managementUrl().getPort() + "\n" +
                        "web.http.management.auth.key=" + lab.settings().get("web.http.management.auth.key") + "\n");
    }

    private static JsonNode providerAgreement(ManagementClient provider, String sharedId) {
        for (var agreement : provider.queryAgreements()) {
            if (sharedId.equals(agreement.path("agreementId").asText())) {
                return agreement;
            }
        }
        throw new AssertionError("provider has no agreement " + sharedId + ": " + provider.queryAgreements());
    }

    private FileSecretStore vault(LabProcess lab) {
        return new FileSecretStore(dir.resolve(lab.name()).resolve("vault"));
    }
}
