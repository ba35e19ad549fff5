package org.labspace.bench;

import org.labspace.connector.trust.IdentityTokens;
import org.labspace.connector.trust.KeyAlgorithm;
import org.labspace.connector.trust.LabKeys;
import org.labspace.connector.trust.NetworkMember;
import org.labspace.connector.trust.NetworkRegistry;
import org.labspace.connector.trust.TrustException;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** What signing and checking the identity token of one DSP message costs, in process, per key type. */
final class IdentityTokenCost {

    record Cost(KeyAlgorithm algorithm, long issueMicros, long verifyMicros) {
    }

    private IdentityTokenCost() {
    }

    static Cost measure(KeyAlgorithm algorithm, int rounds) throws TrustException, InterruptedException {
        var senderKey = LabKeys.generate(algorithm);
        var receiverKey = LabKeys.generate(algorithm);
        var registry = new NetworkRegistry("bench", 1, Instant.now(), List.of(member("lab-sender", senderKey), member("lab-receiver", receiverKey)));
        var sender = new IdentityTokens("lab-sender", senderKey, () -> registry, Clock.systemUTC(), Duration.ofMinutes(2), Duration.ofSeconds(30));
        var receiver = new IdentityTokens("lab-receiver", receiverKey, () -> registry, Clock.systemUTC(), Duration.ofMinutes(2), Duration.ofSeconds(30));
        Thread.sleep(1100); // tokens issued in the receiver's first second count as older than it
        var issue = new long[rounds];
        var verify = new long[rounds];
        for (var i = 0; i < rounds; i++) {
            var t0 = System.nanoTime();
            var token = sender.issue("lab-receiver");
            var t1 = System.nanoTime();
            receiver.verify(token);
            issue[i] = t1 - t0;
            verify[i] = System.nanoTime() - t1;
        }
        // the second half: after the JIT has compiled the crypto
        Arrays.sort(issue, rounds / 2, rounds);
        Arrays.sort(verify, rounds / 2, rounds);
        return new Cost(algorithm, issue[rounds * 3 / 4] / 1000, verify[rounds * 3 / 4] / 1000);
    }

    private static NetworkMember member(String id, KeyPair key) {
        return new NetworkMember(id, id, "ES", "university", List.of(), "http://127.0.0.1:1/" + id, "http://127.0.0.1:1/" + id,
                List.of(NetworkMember.MemberKey.of(key.getPublic())), NetworkMember.ACTIVE);
    }
}
