package org.labspace.connector.research;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.Base64;

/**
 * Reads the issue time of a provider's data token (a JWT) without verifying it: the consumer only uses it to judge
 * whether the token is young enough to reuse; the provider verifies the token on every stream.
 */
final class TokenClaims {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenClaims() {
    }

    /** The token's {@code iat}, or null when it is not a JWT with a numeric issue time. */
    static Instant issuedAt(String token) {
        var parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            var claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            var iat = claims.path("iat");
            return iat.canConvertToLong() ? Instant.ofEpochSecond(iat.asLong()) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
