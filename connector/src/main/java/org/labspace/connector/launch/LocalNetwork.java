package org.labspace.connector.launch;

import org.labspace.connector.config.LabSettings;
import org.labspace.connector.trust.KeyAlgorithm;
import org.labspace.connector.trust.LabKeys;
import org.labspace.connector.trust.NetworkMember;
import org.labspace.connector.trust.NetworkRegistry;
import org.labspace.connector.trust.RegistrySignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A throw-away network on this machine (tests, benchmarks): an operator key, lab keys, and a signed registry whose
 * endpoints match the labs' loopback ports. Labs made with {@link #unregisteredLab} hold valid-looking keys that the
 * registry does not list.
 */
public final class LocalNetwork {

    private final Path dir;
    private final KeyPair operator;
    private NetworkRegistry registry;
    private KeyAlgorithm labKeys = KeyAlgorithm.EC_P256;
    private final java.util.Set<String> usedPorts = new java.util.HashSet<>();

    public LocalNetwork(Path dir, String name) {
        this.dir = dir;
        this.operator = LabKeys.generate(KeyAlgorithm.EC_P256);
        try {
            LabKeys.write(operator, dir.resolve("operator"), "operator");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.registry = new NetworkRegistry(name, 0, Instant.now(), List.of());
    }

    /** The key type of labs made from now on (P-256 by default). */
    public LocalNetwork labKeys(KeyAlgorithm algorithm) {
        this.labKeys = algorithm;
        return this;
    }

    public Path registryFile() {
        return dir.resolve("registry.jws");
    }

    public Path operatorPublicKey() {
        return dir.resolve("operator").resolve("operator.pub");
    }

    public NetworkRegistry registry() {
        return registry;
    }

    /**
     * A lab listed in the registry (active, ES, university), with a complete config on free loopback ports.
     * {@link #publish()} before starting it.
     */
    public Map<String, String> lab(String participantId, Path dataDir, String apiKey, Map<String, String> extra) {
        var config = unregisteredLab(participantId, dataDir, apiKey, extra);
        var key = LabKeys.readPublicKeyUnchecked(Path.of(config.get(LabSettings.IDENTITY_KEY)).resolveSibling(participantId + ".pub"));
        var host = (config.containsKey(LabSettings.TLS_KEYSTORE) ? "https" : "http") + "://127.0.0.1:";
        var member = new NetworkMember(participantId, "Lab " + participantId, "ES", "university", List.of(),
                host + config.get("web.http.protocol.port") + config.getOrDefault("web.http.protocol.path", "/protocol"),
                host + config.get("web.http.public.port") + config.getOrDefault("web.http.public.path", "/public"),
                List.of(NetworkMember.MemberKey.of(key)), NetworkMember.ACTIVE);
        registry = registry.withMember(member);
        return config;
    }

    /** Changes what the registry says of a member: its country, organization type and accreditations. Publish afterwards. */
    public void describe(String participantId, String country, String organizationType, List<String> accreditations) {
        var member = registry.member(participantId);
        if (member == null) {
            throw new IllegalArgumentException("no member " + participantId);
        }
        registry = registry.withMember(new NetworkMember(member.participantId(), member.displayName(), country, organizationType, accreditations,
                member.dspEndpoint(), member.dataEndpoint(), member.keys(), member.status()));
    }

    /** Marks a member suspended; publish afterwards. */
    public void suspend(String participantId) {
        var member = registry.member(participantId);
        if (member == null) {
            throw new IllegalArgumentException("no member " + participantId);
        }
        registry = registry.withMember(new NetworkMember(member.participantId(), member.displayName(), member.country(), member.organizationType(),
                member.accreditations(), member.dspEndpoint(), member.dataEndpoint(), member.keys(), NetworkMember.SUSPENDED));
    }

    /**
     * A registered member that is not a Labspace connector here (a WireMock peer, a hand-built client): listed
     * active at {@code dspEndpoint} with a fresh key, which is returned so the caller can sign as that member.
     */
    public KeyPair peer(String participantId, String dspEndpoint) {
        var key = LabKeys.generate(KeyAlgorithm.EC_P256);
        registry = registry.withMember(new NetworkMember(participantId, "Peer " + participantId, "PT", "public-research", List.of(),
                dspEndpoint, dspEndpoint, List.of(NetworkMember.MemberKey.of(key.getPublic())),
                NetworkMember.ACTIVE));
        return key;
    }

    /** A lab with its own key pair and a config trusting this network, but absent from the registry. */
    public Map<String, String> unregisteredLab(String participantId, Path dataDir, String apiKey, Map<String, String> extra) {
        var keys = dir.resolve("keys").resolve(participantId + "-" + Long.toHexString(System.nanoTime()));
        try {
            LabKeys.write(LabKeys.generate(labKeys), keys, participantId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var values = new LinkedHashMap<String, String>();
        values.put(LabSettings.IDENTITY_KEY, keys.resolve(participantId + ".key").toString());
        values.put(LabSettings.NETWORK_OPERATOR_KEY, operatorPublicKey().toString());
        values.put(LabSettings.NETWORK_REGISTRY, registryFile().toString());
        // ports no other lab of this network has: the system may hand out a released port again
        var ports = LocalLab.freePorts();
        while (ports.values().stream().anyMatch(usedPorts::contains)) {
            ports = LocalLab.freePorts();
        }
        usedPorts.addAll(ports.values());
        values.putAll(ports);
        values.putAll(extra);
        return LocalLab.config(participantId, dataDir, apiKey, values);
    }

    /** Changes a member's entry, e.g. its country or status; {@link #publish()} to make labs see it. */
    public void update(String participantId, UnaryOperator<NetworkMember> change) {
        var member = registry.member(participantId);
        if (member == null) {
            throw new IllegalArgumentException("no member " + participantId);
        }
        registry = registry.withMember(change.apply(member));
    }

    /** Signs the registry as the next version and writes it where the labs read it. */
    public NetworkRegistry publish() {
        registry = registry.withVersion(registry.version() + 1, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try {
            Files.writeString(registryFile(), RegistrySignature.sign(registry, operator));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return registry;
    }
}
