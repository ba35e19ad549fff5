package org.labspace.connector.trust;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
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

    /** This registry with {@code member} added, or replacing the member with the same participant id. */
    public NetworkRegistry withMember(NetworkMember member) {
        var updated = new ArrayList<>(members);
        updated.removeIf(m -> m.participantId().equals(member.participantId()));
        updated.add(member);
        return new NetworkRegistry(network, version, issuedAt, updated);
    }

    public NetworkRegistry withVersion(long newVersion, Instant newIssuedAt) {
        return new NetworkRegistry(network, newVersion, newIssuedAt, members);
    }

    /** Whether both list the same network and members, whatever their version and issue time. */
    public boolean sameContent(NetworkRegistry other) {
        return network.equals(other.network()) && members.equals(other.members());
    }

    public NetworkMember member(String participantId) {
        return members.stream().filter(m -> m.participantId().equals(participantId)).findFirst().orElse(null);
    }

    /**
     * The member whose DSP endpoint serves {@code address}: the endpoint itself or a path below it (DSP adds version
     * segments such as {@code /2025-1}). Null when no member does.
     */
    public NetworkMember memberAt(String address) {
        if (address == null) {
            return null;
        }
        var wanted = stripSlash(address);
        return members.stream()
                .filter(m -> m.dspEndpoint() != null)
                .filter(m -> {
                    var endpoint = stripSlash(m.dspEndpoint());
                    return wanted.equals(endpoint) || wanted.startsWith(endpoint + "/");
                })
                .findFirst().orElse(null);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
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
        var endpoints = new HashSet<String>();
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
            if (member.dspEndpoint() != null && !endpoints.add(member.dspEndpoint().replaceAll("/+$", ""))) {
                problems.add(who + ": 'dspEndpoint' " + member.dspEndpoint() + " is another member's too; each lab needs its own");
            }
            checkUrl(who, "dataEndpoint", member.dataEndpoint(), problems);
            if (member.keys().isEmpty()) {
                problems.add(who + ": needs at least one key");
            }
            for (var key : member.keys()) {
                try {
                    var actual = LabKeys.keyId(LabKeys.parsePublicKey(key.publicKey()));
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
}
