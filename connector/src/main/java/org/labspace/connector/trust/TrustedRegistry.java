package org.labspace.connector.trust;

import org.labspace.catalog.DurableFile;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;

/**
 * The registry this connector currently trusts. It comes from the operator's published file (a path or an http(s)
 * URL), is accepted only with the operator's signature and only when its version is not older than the one already
 * trusted, and is kept in the lab's data folder so that the rollback check and the last good registry survive a
 * restart and an unreachable source.
 */
public final class TrustedRegistry {

    static final String STATE_FILE = "registry.jws";
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    private final String source;
    private final PublicKey operatorKey;
    private final Path stateFile;
    private final TrustLog log;
    private final HttpClient http;
    private volatile NetworkRegistry current;
    // the last refresh refusal, so a source that stays broken is reported once, not at every refresh
    private String lastRefusal;

    /**
     * @param source      a file path or an http(s) URL of the signed registry
     * @param operatorKey the network operator's public key
     * @param stateDir    folder where the last good registry is kept
     */
    public TrustedRegistry(String source, PublicKey operatorKey, Path stateDir, TrustLog log, HttpClient http) {
        this.source = source;
        this.operatorKey = operatorKey;
        this.stateFile = stateDir.resolve(STATE_FILE);
        this.log = log;
        this.http = http;
    }

    /** The trusted registry; never null after a successful {@link #load()}. */
    public NetworkRegistry current() {
        return current;
    }

    /**
     * Loads the last good registry, then the source's. Fails only when neither can be trusted.
     *
     * @throws TrustException saying why there is no registry to trust
     */
    public synchronized void load() throws TrustException {
        if (Files.exists(stateFile)) {
            try {
                current = RegistrySignature.verify(Files.readString(stateFile), operatorKey);
            } catch (IOException | TrustException e) {
                log.warning("ignoring the stored registry " + stateFile + ": " + e.getMessage());
            }
        }
        try {
            accept(fetch());
            log.info("trusting network registry '" + current.network() + "' version " + current.version() +
                    " issued " + current.issuedAt() + " (" + current.members().size() + " members) from " + source);
        } catch (TrustException e) {
            if (current == null) {
                throw new TrustException("no trusted network registry: " + e.getMessage());
            }
            log.warning("registry from " + source + " refused: " + e.getMessage() + "; keeping the last good version " + current.version());
        }
    }

    /**
     * Fetches the source again. A refused or unreachable registry leaves the current one in place.
     *
     * @return true when a newer registry was adopted
     */
    public synchronized boolean refresh() {
        var before = current;
        try {
            accept(fetch());
        } catch (TrustException e) {
            if (!e.getMessage().equals(lastRefusal)) {
                log.warning("registry refresh from " + source + " refused: " + e.getMessage() + "; keeping version " + before.version() +
                        " (reported once until the source changes)");
                lastRefusal = e.getMessage();
            }
            return false;
        }
        lastRefusal = null;
        if (current != before) {
            log.info("network registry updated from version " + before.version() + " to " + current.version() + " (" + current.members().size() + " members)");
            return true;
        }
        return false;
    }

    private void accept(String signed) throws TrustException {
        var candidate = RegistrySignature.verify(signed, operatorKey);
        var trusted = current;
        if (trusted != null) {
            if (!candidate.network().equals(trusted.network())) {
                throw new TrustException("registry is for network '" + candidate.network() + "', this lab is in '" + trusted.network() + "'");
            }
            if (candidate.version() < trusted.version()) {
                throw new TrustException("registry version " + candidate.version() + " is older than version " + trusted.version() + " already trusted: rollback refused");
            }
            if (candidate.version() == trusted.version()) {
                if (!candidate.equals(trusted)) {
                    throw new TrustException("registry version " + candidate.version() + " differs from the trusted registry with the same version: the operator must raise the version");
                }
                return;
            }
        }
        persist(signed);
        current = candidate;
    }

    private String fetch() throws TrustException {
        try {
            if (source.startsWith("http://") || source.startsWith("https://")) {
                var request = HttpRequest.newBuilder(URI.create(source)).timeout(FETCH_TIMEOUT).GET().build();
                var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new TrustException("cannot fetch the registry: " + source + " answered HTTP " + response.statusCode());
                }
                return response.body();
            }
            return Files.readString(Path.of(source));
        } catch (IOException e) {
            throw new TrustException("cannot read the registry from " + source + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrustException("interrupted while fetching the registry");
        }
    }

    private void persist(String signed) throws TrustException {
        try {
            DurableFile.replace(stateFile, signed.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TrustException("cannot keep the registry in " + stateFile + ": " + e.getMessage(), e);
        }
    }
}
