package org.labspace.connector.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.labspace.connector.launch.LabProcess;
import org.labspace.connector.launch.LocalNetwork;
import org.labspace.connector.trust.IdentityTokens;
import org.labspace.connector.trust.KeyAlgorithm;
import org.labspace.connector.trust.LabKeys;
import org.labspace.connector.trust.NetworkMember;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real connector (lab-victim) against a hand-built rogue client speaking DSP 2025-1: each attack is refused with
 * 401, a log line says why without the token, and no negotiation is left behind.
 */
@Tag("runtime")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrustAttackTest {

    private static final String CATALOG_REQUEST = """
            {"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"CatalogRequestMessage"}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> tokensSent = new ArrayList<>();
    private Path dir;
    private LocalNetwork network;
    private LabProcess victim;
    private KeyPair peerKey;
    private KeyPair suspendedKey;
    private final KeyPair rogueKey = LabKeys.generate(KeyAlgorithm.EC_P256);

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("labspace-trust-attacks");
        network = TestLab.network(dir);
        peerKey = network.peer("lab-peer", "http://127.0.0.1:" + TestLab.freePort() + "/lab-peer/protocol");
        suspendedKey = network.peer("lab-suspended", "http://127.0.0.1:" + TestLab.freePort() + "/lab-suspended/protocol");
        network.update("lab-suspended", m -> withStatus(m, NetworkMember.SUSPENDED));
        var config = TestLab.config(network, "lab-victim", dir.resolve("data"), Map.of("labspace.network.registry.refresh", "PT1S"));
        network.publish();
        victim = TestLab.process("lab-victim", TestLab.write(dir.resolve("victim.properties"), config), dir).start(Duration.ofSeconds(180));
    }

    @AfterAll
    void stop() {
        if (victim != null) {
            victim.close();
        }
        TestLab.delete(dir);
    }

    private static NetworkMember withStatus(NetworkMember m, String status) {
        return new NetworkMember(m.participantId(), m.displayName(), m.country(), m.organizationType(), m.accreditations(),
                m.dspEndpoint(), m.dataEndpoint(), m.keys(), status);
    }

    private IdentityTokens as(String participantId, KeyPair key, Clock clock) {
        return new IdentityTokens(participantId, key, () -> null, clock, Duration.ofMinutes(2), Duration.ofSeconds(30));
    }

    private String token(String participantId, KeyPair key, String audience) {
        return as(participantId, key, Clock.systemUTC()).issue(audience);
    }

    private int send(String path, String body, String token) throws Exception {
        return exchange(path, body, token).statusCode();
    }

    private HttpResponse<String> exchange(String path, String body, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(victim.protocolUrl() + "/2025-1" + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            tokensSent.add(token);
            request.header("Authorization", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int catalog(String token) throws Exception {
        return send("/catalog/request", CATALOG_REQUEST, token);
    }

    private String log() throws IOException {
        return Files.readString(victim.logFile());
    }

    @Test
    @Order(1)
    void memberWithAValidToken_isServed_andTheSameTokenReplayedIsRefused() throws Exception {
        var token = token("lab-peer", peerKey, "lab-victim");
        assertThat(catalog(token)).isEqualTo(200);
        assertThat(catalog(token)).isEqualTo(401);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log()).contains("from 'lab-peer' was already used: replay refused"));
    }

    @Test
    @Order(2)
    void forgedTokens_areRefused_eachWithItsReason() throws Exception {
        var peerKid = LabKeys.keyId(peerKey.getPublic());
        // the victim's signature part replaced by the rogue's signature over the same content
        var genuine = token("lab-peer", peerKey, "lab-victim").split("\\.");
        var forged = genuine[0] + "." + genuine[1] + "." + sign(rogueKey, peerKid, "lab-peer").split("\\.")[2];

        assertThat(catalog(forged)).isEqualTo(401);
        assertThat(catalog(token("lab-peer", rogueKey, "lab-victim"))).as("impersonation with the rogue's own key").isEqualTo(401);
        assertThat(catalog(token("lab-nobody", rogueKey, "lab-victim"))).as("unknown participant").isEqualTo(401);
        assertThat(catalog(token("lab-peer", peerKey, "lab-other"))).as("wrong audience").isEqualTo(401);
        assertThat(catalog(as("lab-peer", peerKey, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10))).issue("lab-victim"))).as("expired").isEqualTo(401);
        assertThat(catalog(token("lab-suspended", suspendedKey, "lab-victim"))).as("suspended").isEqualTo(401);
        assertThat(catalog(null)).as("no token").isEqualTo(401);
        assertThat(catalog("garbage")).as("garbage").isEqualTo(401);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log())
                .contains("token from 'lab-peer' has a signature that does not verify with key " + peerKid)
                .contains("claims to be from 'lab-peer' but is signed with key " + LabKeys.keyId(rogueKey.getPublic()))
                .contains("'lab-nobody' is not a member of network 'test-network'")
                .contains("is meant for [lab-other], not for 'lab-victim'")
                .contains("expired at")
                .contains("'lab-suspended' is suspended in registry version 1")
                .contains("identity token is not a signed JWT"));
    }

    @Test
    @Order(3)
    void refusedContractRequests_leaveNoNegotiationBehind() throws Exception {
        var management = victim.management();
        management.createAsset("attack-target", Map.of("name", "a dataset the rogue wants"), Map.of("type", "HttpData", "baseUrl", "https://data.example/t"));
        management.createPolicy("attack-policy", management.emptyPolicy());
        management.createContractDefinition("attack-offer", "attack-policy", "attack-policy", List.of("attack-target"));
        // the offer as a member sees it: EDC looks the offer up before it checks the token
        var catalog = exchange("/catalog/request", CATALOG_REQUEST, token("lab-peer", peerKey, "lab-victim"));
        assertThat(catalog.statusCode()).isEqualTo(200);
        var offerId = new ObjectMapper().readTree(catalog.body()).findValue("hasPolicy").get(0).path("@id").asText();
        assertThat(offerId).isNotBlank();
        var request = """
                {"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"ContractRequestMessage",
                 "consumerPid":"urn:uuid:%s","callbackAddress":"http://127.0.0.1:1/protocol",
                 "offer":{"@id":"%s","@type":"Offer","target":"attack-target"}}""".formatted(UUID.randomUUID(), offerId);

        var impersonation = exchange("/negotiations/request", request, token("lab-peer", rogueKey, "lab-victim"));
        assertThat(impersonation.statusCode()).as(impersonation.body()).isEqualTo(401);
        assertThat(send("/negotiations/request", request, token("lab-suspended", suspendedKey, "lab-victim"))).isEqualTo(401);
        assertThat(send("/negotiations/request", request, token("lab-peer", peerKey, "lab-elsewhere"))).isEqualTo(401);

        assertThat(victim.management().queryNegotiations()).isEmpty();

        // the same request from the member itself is taken: the refusals above were the tokens' doing
        var genuine = exchange("/negotiations/request", request, token("lab-peer", peerKey, "lab-victim"));
        assertThat(genuine.statusCode()).as(genuine.body()).isBetween(200, 201);
        assertThat(genuine.body()).contains("\"state\":\"REQUESTED\"");
        assertThat(victim.management().queryNegotiations()).singleElement()
                .satisfies(n -> assertThat(n.path("counterPartyId").asText()).isEqualTo("lab-peer"));
    }

    @Test
    @Order(4)
    void badRegistryUpdates_areRefused_andTheLabKeepsServingWithTheLastGood() throws Exception {
        var goodV1 = Files.readString(network.registryFile());
        var parts = goodV1.strip().split("\\.");
        Files.writeString(network.registryFile(), parts[0] + "." + parts[1] + "." + sign(rogueKey, "x", "y").split("\\.")[2]);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(log()).contains("registry signature does not verify"));
        assertThat(catalog(token("lab-peer", peerKey, "lab-victim"))).isEqualTo(200);

        network.update("lab-peer", m -> withStatus(m, NetworkMember.SUSPENDED));
        network.publish();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(log()).contains("network registry updated from version 1 to 2"));
        assertThat(catalog(token("lab-peer", peerKey, "lab-victim"))).as("suspended while the lab runs").isEqualTo(401);

        Files.writeString(network.registryFile(), goodV1);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(log()).contains("version 1 is older than version 2 already trusted: rollback refused"));
        assertThat(catalog(token("lab-peer", peerKey, "lab-victim"))).as("rollback does not lift the suspension").isEqualTo(401);
    }

    @Test
    @Order(5)
    void theLog_neverHoldsATokenOrAPrivateKey() throws Exception {
        var log = log();
        for (var token : tokensSent) {
            var parts = token.split("\\.");
            assertThat(log).doesNotContain(parts.length == 3 ? parts[2] : token);
        }
        assertThat(log).doesNotContain("PRIVATE KEY");
    }

    private static String sign(KeyPair key, String kid, String issuer) throws Exception {
        var now = Instant.now();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), new JWTClaimsSet.Builder()
                .issuer(issuer).subject(issuer).audience("lab-victim").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(60))).jwtID(UUID.randomUUID().toString()).build());
        jwt.sign(new ECDSASigner((ECPrivateKey) key.getPrivate()));
        return jwt.serialize();
    }
}
