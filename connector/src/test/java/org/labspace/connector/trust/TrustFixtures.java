package org.labspace.connector.trust;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Builds small, valid networks for the trust tests. */
final class TrustFixtures {

    private TrustFixtures() {
    }

    static NetworkMember member(String id, String status, KeyPair... keys) {
        var memberKeys = Arrays.stream(keys)
                .map(k -> NetworkMember.MemberKey.of(k.getPublic()))
                .toList();
        return new NetworkMember(id, "Lab " + id, "ES", "university", List.of("ethics-board-approved"),
                "http://127.0.0.1:1/" + id + "/protocol", "http://127.0.0.1:1/" + id + "/public", memberKeys, status);
    }

    static NetworkRegistry registry(long version, NetworkMember... members) {
        return new NetworkRegistry("test-network", version, Instant.parse("2026-11-28T10:00:00Z"), List.of(members));
    }
}
