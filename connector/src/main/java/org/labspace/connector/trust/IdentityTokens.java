package org.labspace.connector.trust;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.KeyPair;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The short-lived tokens labs present to each other on every Dataspace Protocol request: signed by the caller's lab
 * key, naming the callee as audience, unique, and checked against the network registry on arrival.
 * <p>
 * Replay protection is in memory. So that a restart does not forget what was seen, tokens issued before this
 * connector started are refused; a peer simply retries with a fresh token.
 */
public final class IdentityTokens {

    public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    static final JOSEObjectType TYPE = JOSEObjectType.JWT;

    private final String participantId;
    private final KeyPair key;
    private final String keyId;
    private final Supplier<NetworkRegistry> registry;
    private final Clock clock;
    private final Duration lifetime;
    private final Duration clockSkew;
    private final ReplayGuard replays = new ReplayGuard();
    // parsing a PEM key costs about as much as checking a signature; the registry's keys change rarely
    private final Map<String, PublicKey> parsedKeys = new ConcurrentHashMap<>();
    private final Instant startedAt;

    public IdentityTokens(String participantId, KeyPair key, Supplier<NetworkRegistry> registry, Clock clock, Duration lifetime, Duration clockSkew) {
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("token lifetime must be more than 0 and at most " + MAX_LIFETIME + ", got " + lifetime);
        }
        this.participantId = participantId;
        this.key = key;
        this.keyId = LabKeys.keyId(key.getPublic());
        this.registry = registry;
        this.clock = clock;
        this.lifetime = lifetime;
        this.clockSkew = clockSkew;
        // whole seconds, as in the tokens' iat
        this.startedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    public String keyId() {
        return keyId;
    }

    /** A fresh token for one request to the lab {@code audience}. */
    public String issue(String audience) {
        var now = clock.instant();
        var claims = new JWTClaimsSet.Builder()
                .issuer(participantId)
                .subject(participantId)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JwsKeys.algorithm(key.getPublic())).type(TYPE).keyID(keyId).build(), claims);
        try {
            jwt.sign(JwsKeys.signer(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an identity token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /**
     * Checks a caller's token: the registry key it names, its signature, the caller's standing, the audience, its
     * time window and that it was not seen before.
     *
     * @throws TrustException saying why the caller is refused; fit for a log line (no token, no key material)
     */
    public VerifiedCaller verify(String token) throws TrustException {
        if (token == null || token.isBlank()) {
            throw new TrustException("no identity token");
        }
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TrustException("identity token is not a signed JWT");
        }
        var issuer = claims.getIssuer();
        if (issuer == null) {
            throw new TrustException("identity token names no issuer");
        }
        var network = registry.get();
        var member = network.member(issuer);
        if (member == null) {
            throw new TrustException("'" + issuer + "' is not a member of network '" + network.network() + "' (registry version " + network.version() + ")");
        }
        var kid = jwt.getHeader().getKeyID();
        var memberKey = member.keys().stream().filter(k -> k.kid().equals(kid)).findFirst().orElse(null);
        if (memberKey == null) {
            throw new TrustException("token claims to be from '" + issuer + "' but is signed with key " + kid + ", which the registry does not list for it");
        }
        var publicKey = parsedKeys.computeIfAbsent(memberKey.publicKey(), LabKeys::parsePublicKey);
        var algorithm = JwsKeys.algorithm(publicKey);
        if (!algorithm.equals(jwt.getHeader().getAlgorithm())) {
            throw new TrustException("token from '" + issuer + "' uses " + jwt.getHeader().getAlgorithm() + " but key " + kid + " needs " + algorithm);
        }
        try {
            if (!jwt.verify(JwsKeys.verifier(publicKey))) {
                throw new TrustException("token from '" + issuer + "' has a signature that does not verify with key " + kid + ": forged or altered");
            }
        } catch (JOSEException e) {
            throw new TrustException("token from '" + issuer + "' cannot be verified: " + e.getMessage());
        }
        // signed by the member's key: from here on the claims are the member's own
        if (!issuer.equals(claims.getSubject())) {
            throw new TrustException("token from '" + issuer + "' is about a different subject '" + claims.getSubject() + "'");
        }
        if (!member.isActive()) {
            throw new TrustException("'" + issuer + "' is suspended in registry version " + network.version());
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(participantId)) {
            throw new TrustException("token from '" + issuer + "' is meant for " + claims.getAudience() + ", not for '" + participantId + "'");
        }
        checkTimes(issuer, claims);
        var jti = claims.getJWTID();
        if (jti == null || jti.isBlank()) {
            throw new TrustException("token from '" + issuer + "' has no token id (jti)");
        }
        if (!replays.firstUse(issuer, jti, claims.getExpirationTime().toInstant().plus(clockSkew), clock.instant())) {
            throw new TrustException("token " + jti + " from '" + issuer + "' was already used: replay refused");
        }
        return VerifiedCaller.of(member, network, jti);
    }

    /**
     * Takes back the use of a verified token whose request was refused before it had any effect (a 5xx), so that
     * the sender's HTTP client can retry the same request with the same token, as EDC's does.
     */
    public void release(VerifiedCaller caller) {
        replays.forget(caller.participantId(), caller.tokenId());
    }

    private void checkTimes(String issuer, JWTClaimsSet claims) throws TrustException {
        var now = clock.instant();
        if (claims.getExpirationTime() == null || claims.getIssueTime() == null) {
            throw new TrustException("token from '" + issuer + "' lacks an issue or expiry time");
        }
        var issued = claims.getIssueTime().toInstant();
        var expires = claims.getExpirationTime().toInstant();
        if (Duration.between(issued, expires).compareTo(MAX_LIFETIME) > 0) {
            throw new TrustException("token from '" + issuer + "' is valid for " + Duration.between(issued, expires) + ", longer than the allowed " + MAX_LIFETIME);
        }
        if (expires.plus(clockSkew).isBefore(now)) {
            throw new TrustException("token from '" + issuer + "' expired at " + expires);
        }
        if (issued.minus(clockSkew).isAfter(now)) {
            throw new TrustException("token from '" + issuer + "' is issued in the future (" + issued + "): check the clocks");
        }
        if (issued.isBefore(startedAt)) {
            throw new TrustException("token from '" + issuer + "' was issued before this connector started, so it cannot be checked for replay; the peer must send a fresh one");
        }
    }
}
