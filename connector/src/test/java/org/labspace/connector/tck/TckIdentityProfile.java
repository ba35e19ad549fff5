package org.labspace.connector.tck;

import org.eclipse.edc.protocol.spi.DefaultParticipantIdExtractionFunction;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.iam.AudienceResolver;
import org.eclipse.edc.spi.iam.ClaimToken;
import org.eclipse.edc.spi.iam.IdentityService;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.iam.VerificationContext;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.domain.message.ProtocolRemoteMessage;
import org.labspace.connector.trust.CallerClaims;
import org.labspace.connector.trust.TrustedRegistry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The test identity profile for the Dataspace TCK: the TCK cannot sign Labspace identity tokens, so its one static
 * {@code Authorization} value stands in for them, and only that value. This class lives in the test sources: the
 * connector jar does not contain it, so no configuration of a deployed lab can turn it on. {@link TckLab} puts it in
 * the runtime in place of EDC's own TCK identity, which would accept any caller.
 */
public class TckIdentityProfile implements ServiceExtension {

    /** The exact header value the TCK sends (its {@code dataspacetck.dsp.connector.http.headers.authorization}). */
    public static final String AUTHORIZATION = "tck.identity.authorization";
    /** The caller the TCK plays, as EDC's TCK setup expects it. */
    public static final String TCK_PARTICIPANT = "TCK_PARTICIPANT";

    @Setting(key = AUTHORIZATION, description = "The TCK's static Authorization header value")
    private String authorization;

    // not used: it orders this extension after the lab's identity, so that the services below replace the lab's
    @Inject
    private TrustedRegistry registry;

    private Monitor monitor;

    @Override
    public String name() {
        return "Labspace TCK identity profile (test only)";
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        monitor = context.getMonitor().withPrefix("tck-identity");
        monitor.warning("TEST IDENTITY PROFILE: Dataspace Protocol callers are accepted on a static header as " + TCK_PARTICIPANT +
                " instead of a signed Labspace token; never run a lab this way");
    }

    @Provider
    public IdentityService identityService() {
        return new StaticHeaderIdentity(authorization, monitor);
    }

    @Provider
    public DefaultParticipantIdExtractionFunction participantIds() {
        return claims -> claims.getStringClaim(CallerClaims.PARTICIPANT_ID);
    }

    @Provider
    public AudienceResolver audienceResolver() {
        // the TCK is not in the network registry: address it by the id it gave
        return (ProtocolRemoteMessage message) -> Result.success(message.getCounterPartyId());
    }

    private record StaticHeaderIdentity(String expected, Monitor monitor) implements IdentityService {

        @Override
        public Result<TokenRepresentation> obtainClientCredentials(String participantContextId, TokenParameters parameters) {
            return Result.success(TokenRepresentation.Builder.newInstance().token(expected).build());
        }

        @Override
        public Result<ClaimToken> verifyJwtToken(String participantContextId, TokenRepresentation token, VerificationContext context) {
            var presented = token.getToken() == null ? new byte[0] : token.getToken().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(presented, expected.getBytes(StandardCharsets.UTF_8))) {
                monitor.warning("Refused a Dataspace Protocol request: not the TCK's authorization header");
                return Result.failure("not the TCK's authorization header");
            }
            return Result.success(ClaimToken.Builder.newInstance().claim(CallerClaims.PARTICIPANT_ID, TCK_PARTICIPANT).build());
        }
    }
}
