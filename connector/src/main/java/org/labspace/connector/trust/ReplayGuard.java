package org.labspace.connector.trust;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the token ids seen until their tokens expire, so a captured token cannot be played again. Memory is
 * bounded by the request rate times the token lifetime (at most five minutes).
 */
public final class ReplayGuard {

    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private volatile Instant nextSweep = Instant.MIN;

    /**
     * @return true the first time a token id of this issuer is presented, false on every later presentation
     */
    public boolean firstUse(String issuer, String tokenId, Instant expiresAt, Instant now) {
        if (now.isAfter(nextSweep)) {
            seen.values().removeIf(expiry -> expiry.isBefore(now));
            nextSweep = now.plusSeconds(30);
        }
        return seen.putIfAbsent(issuer + '\n' + tokenId, expiresAt) == null;
    }

    /** Lets a token id be presented once more: for a request that was refused before it had any effect. */
    public void forget(String issuer, String tokenId) {
        seen.remove(issuer + '\n' + tokenId);
    }

    int size() {
        return seen.size();
    }
}
