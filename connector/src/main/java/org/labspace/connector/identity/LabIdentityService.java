package org.labspace.connector.identity;

import org.eclipse.edc.spi.iam.ClaimToken;
import org.eclipse.edc.spi.iam.IdentityService;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.iam.VerificationContext;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.labspace.connector.trust.CallerClaims;
import org.labspace.connector.trust.IdentityTokens;
import org.labspace.connector.trust.TrustException;

/**
 * EDC's view of Labspace identity: outgoing DSP requests carry a token signed with the lab key, incoming ones are
 * checked against the network registry, and the registry's facts about the caller become its claims.
 */
class LabIdentityService implements IdentityService {

    static final String AUDIENCE_CLAIM = "aud";

    private final IdentityTokens tokens;
    private final Monitor monitor;

    LabIdentityService(IdentityTokens tokens, Monitor monitor) {
        this.tokens = tokens;
        this.monitor = monitor;
    }

    @Override
    public Result<TokenRepresentation> obtainClientCredentials(String participantContextId, TokenParameters parameters) {
        var audience = parameters.getStringClaim(AUDIENCE_CLAIM);
        if (audience == null) {
            return Result.failure("no audience for the identity token");
        }
        return Result.success(TokenRepresentation.Builder.newInstance().token(tokens.issue(audience)).build());
    }

    @Override
    public Result<ClaimToken> verifyJwtToken(String participantContextId, TokenRepresentation tokenRepresentation, VerificationContext context) {
        try {
            var caller = tokens.verify(tokenRepresentation.getToken());
            RetriedRequestTokens.verified(caller);
            return Result.success(ClaimToken.Builder.newInstance().claims(CallerClaims.of(caller)).build());
        } catch (TrustException e) {
            monitor.warning("Refused a Dataspace Protocol request: " + e.getMessage());
            return Result.failure(e.getMessage());
        }
    }
}
