package org.labspace.connector.trust;

import java.net.URI;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The network's member list, as signed by the network operator: who is in the network, where they are, what the
 * operator vouches for (country, organization type, accreditations) and which keys they sign with.
 *
 * @param network  the network's name
 * @param version  increases with every change; a connector refuses a registry older than the one it has
 * @param issuedAt when the operator signed this version
 * @param members  the labs
 */
public record NetworkRegistry(String network, long version, Instant issuedAt, List<NetworkMember> members) {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());


    public NetworkRegistry {
        members = members == null ? List.of() : List.copyOf(members);
    }

    public NetworkMember member(String participantId) {
        return members.stream().filter(m -> m.participantId().equals(participantId)).findFirst().orElse(null);
    }

    /**
     * Everything wrong with this registry, one line each naming the member and field; empty when it is sound.
     * Checked before signing and after every verification, so a registry a connector uses is always whole.
     */
    public List<String> problems() {
        var problems = new ArrayList<String>();
        if (network == null || network.isBlank()) {
            problems.add("registry: 'network' is missing");
        }
        if (version < 1) {
            problems.add("registry: 'version' must be 1 or more, got " + version);
        }
        if (issuedAt == null) {
            problems.add("registry: 'issuedAt' is missing");
        }
        var ids = new HashSet<String>();
        var kids = new HashSet<String>();
        for (var member : members) {
            var who = "member '" + member.participantId() + "'";
            if (member.participantId() == null || !member.participantId().matches("[a-z0-9][a-z0-9.-]{1,62}")) {
                problems.add(who + ": participant id must be lower-case letters, digits, '.' and '-'");
            } else if (!ids.add(member.participantId())) {
                problems.add(who + ": listed twice");
            }
            if (member.displayName() == null || member.displayName().isBlank()) {
                problems.add(who + ": 'displayName' is missing");
            }
            if (member.country() == null || !COUNTRIES.contains(member.country())) {
                problems.add(who + ": 'country' must be an ISO 3166-1 alpha-2 code such as ES or PT, got '" + member.country() + "'");
            }
            if (!NetworkMember.ORGANIZATION_TYPES.contains(member.organizationType())) {
                problems.add(who + ": 'organizationType' must be one of " + NetworkMember.ORGANIZATION_TYPES + ", got '" + member.organizationType() + "'");
            }
            if (!NetworkMember.ACTIVE.equals(member.status()) && !NetworkMember.SUSPENDED.equals(member.status())) {
                problems.add(who + ": 'status' must be active or suspended, got '" + member.status() + "'");
            }
            checkUrl(who, "dspEndpoint", member.dspEndpoint(), problems);
            checkUrl(who, "dataEndpoint", member.dataEndpoint(), problems);
            if (member.keys().isEmpty()) {
                problems.add(who + ": needs at least one key");
            }
            for (var key : member.keys()) {
                try {
                    var actual = LabKeys.keyId(parsePublicKey(key.publicKey()));
                    if (!actual.equals(key.kid())) {
                        problems.add(who + ": key id '" + key.kid() + "' does not match its key (thumbprint " + actual + ")");
                    } else if (!kids.add(key.kid())) {
                        problems.add(who + ": key " + key.kid() + " is listed more than once");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(who + ": key '" + key.kid() + "' is not a P-256 or Ed25519 public key: " + e.getMessage());
                }
            }
        }
        return problems;
    }

    private static void checkUrl(String who, String field, String value, List<String> problems) {
        try {
            var uri = URI.create(value);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.add(who + ": '" + field + "' must be an http(s) URL, got '" + value + "'");
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            problems.add(who + ": '" + field + "' must be an http(s) URL, got '" + value + "'");
        }
    }

    /**
     * Reads a SubjectPublicKeyInfo PEM holding a P-256 or Ed25519 key.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static PublicKey parsePublicKey(String pem) {
        if (pem == null || !pem.contains("-----BEGIN PUBLIC KEY-----")) {
            throw new IllegalArgumentException("not a PEM public key");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM body is not base64");
        }
        for (var algorithm : List.of("EC", "Ed25519")) {
            try {
                var key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                LabKeys.canonicalJwk(key); // refuses curves other than P-256
                return key;
            } catch (java.security.GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("neither a P-256 nor an Ed25519 key");
    }
}
