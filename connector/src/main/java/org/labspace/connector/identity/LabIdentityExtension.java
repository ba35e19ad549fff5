package org.labspace.connector.identity;

import org.eclipse.edc.protocol.spi.DefaultParticipantIdExtractionFunction;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.iam.AudienceResolver;
import org.eclipse.edc.spi.iam.IdentityService;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;
import org.labspace.connector.config.LabSettings;
import org.labspace.connector.trust.CallerClaims;
import org.labspace.connector.trust.IdentityTokens;
import org.labspace.connector.trust.LabKeys;
import org.labspace.connector.trust.NetworkMember;
import org.labspace.connector.trust.TrustException;
import org.labspace.connector.trust.TrustLog;
import org.labspace.connector.trust.TrustedRegistry;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Lab identity and trust: the lab's key, the signed network registry, and the tokens labs exchange on every
 * Dataspace Protocol request. A lab that cannot establish its identity does not start.
 */
@Extension(LabIdentityExtension.NAME)
public class LabIdentityExtension implements ServiceExtension {

    public static final String NAME = "Labspace identity";

    @Setting(key = LabSettings.PARTICIPANT_ID, description = "The lab's participant id")
    private String participantId;
    @Setting(key = LabSettings.DATA_DIR, description = "The lab's data directory")
    private String dataDir;
    @Setting(key = LabSettings.IDENTITY_KEY, description = "The lab's private key file")
    private String keyFile;
    @Setting(key = LabSettings.NETWORK_OPERATOR_KEY, description = "The network operator's public key file")
    private String operatorKeyFile;
    @Setting(key = LabSettings.NETWORK_REGISTRY, description = "Path or URL of the signed network registry")
    private String registrySource;
    @Setting(key = LabSettings.NETWORK_REFRESH, description = "How often the registry is fetched again", defaultValue = LabSettings.DEFAULT_NETWORK_REFRESH)
    private String refresh;
    @Setting(key = LabSettings.TOKEN_LIFETIME, description = "Lifetime of identity tokens", defaultValue = LabSettings.DEFAULT_TOKEN_LIFETIME)
    private String tokenLifetime;
    @Setting(key = LabSettings.CLOCK_SKEW, description = "Clock difference tolerated between labs", defaultValue = LabSettings.DEFAULT_CLOCK_SKEW)
    private String clockSkew;

    @Inject
    private WebService webService;

    private TrustedRegistry registry;
    private IdentityTokens tokens;
    private ScheduledExecutorService refresher;
    private Monitor monitor;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        monitor = context.getMonitor().withPrefix("trust");
        var keyPath = Path.of(keyFile);
        refuseIfReadableByOthers(keyPath);
        try {
            var key = LabKeys.readKeyPair(keyPath);
            var operatorKey = LabKeys.readPublicKey(Path.of(operatorKeyFile));
            var log = new TrustLog() {
                @Override
                public void info(String message) {
                    monitor.info(message);
                }

                @Override
                public void warning(String message) {
                    monitor.warning(message);
                }
            };
            registry = new TrustedRegistry(registrySource, operatorKey, Path.of(dataDir).resolve("trust"), log,
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
            registry.load();
            tokens = new IdentityTokens(participantId, key, registry::current, Clock.systemUTC(),
                    Duration.parse(tokenLifetime), Duration.parse(clockSkew));
        } catch (IOException e) {
            throw new EdcException("cannot read a key file: " + e);
        } catch (IllegalArgumentException e) {
            throw new EdcException(e.getMessage());
        } catch (TrustException e) {
            throw new EdcException(e.getMessage() + " (setting " + LabSettings.NETWORK_REGISTRY + ")");
        }
        checkOwnStanding();
        webService.registerResource("protocol", new RetriedRequestTokens(tokens));
    }

    private void checkOwnStanding() {
        var network = registry.current();
        var self = network.member(participantId);
        if (self == null) {
            throw new EdcException("this lab ('" + participantId + "') is not in network registry '" + network.network() + "' version " +
                    network.version() + ": ask the network operator to add it, with key id " + tokens.keyId());
        }
        if (self.keys().stream().noneMatch(k -> k.kid().equals(tokens.keyId()))) {
            throw new EdcException("this lab's key " + tokens.keyId() + " (setting " + LabSettings.IDENTITY_KEY + ") is not registered for '" +
                    participantId + "' in registry version " + network.version() + ": peers would refuse every request");
        }
        if (!NetworkMember.ACTIVE.equals(self.status())) {
            monitor.warning("this lab ('" + participantId + "') is suspended in registry version " + network.version() + ": peers will refuse its requests");
        }
        monitor.info("identity: '%s' (%s, %s), key %s".formatted(participantId, self.country(), self.organizationType(), tokens.keyId()));
    }

    private static void refuseIfReadableByOthers(Path keyPath) {
        try {
            var permissions = Files.getPosixFilePermissions(keyPath);
            var open = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
            open.retainAll(permissions);
            if (!open.isEmpty()) {
                throw new EdcException("private key " + keyPath + " (setting " + LabSettings.IDENTITY_KEY + ") is accessible to other users (" +
                        open + "): run chmod 600 on it");
            }
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new EdcException("cannot read the private key " + keyPath + " (setting " + LabSettings.IDENTITY_KEY + "): " + e);
        }
    }

    @Provider
    public IdentityService identityService() {
        return new LabIdentityService(tokens, monitor);
    }

    /** The network registry this lab trusts, for extensions that need the member list. */
    @Provider
    public TrustedRegistry trustedRegistry() {
        return registry;
    }

    @Provider
    public AudienceResolver audienceResolver() {
        return new RegistryAudienceResolver(registry::current);
    }

    @Provider
    public DefaultParticipantIdExtractionFunction participantIdExtractionFunction() {
        return claims -> claims.getStringClaim(CallerClaims.PARTICIPANT_ID);
    }

    @Override
    public void start() {
        var period = Duration.parse(refresh);
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "labspace-registry-refresh");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(registry::refresh, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
