package org.labspace.connector.web;

import org.eclipse.edc.api.auth.spi.AuthenticationService;
import org.eclipse.edc.web.spi.exception.AuthenticationFailedException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * Checks the {@code X-Api-Key} header against the configured key exactly (EDC's stock check ignores case) and in
 * constant time (so response timing does not leak how much of a guess was right).
 */
public final class ApiKeyAuthenticationService implements AuthenticationService {

    public static final String HEADER = "X-Api-Key";

    private final byte[] expectedDigest;

    public ApiKeyAuthenticationService(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            throw new IllegalArgumentException("API key must not be empty");
        }
        this.expectedDigest = sha256(apiKey);
    }

    @Override
    public boolean isAuthenticated(Map<String, List<String>> headers) {
        var presented = headers.entrySet().stream()
                .filter(e -> HEADER.equalsIgnoreCase(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new AuthenticationFailedException(HEADER + " header missing"));
        if (presented == null || presented.size() != 1 || presented.get(0) == null) {
            return false;
        }
        // comparing digests keeps the comparison constant-time even when lengths differ
        return MessageDigest.isEqual(expectedDigest, sha256(presented.get(0)));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
