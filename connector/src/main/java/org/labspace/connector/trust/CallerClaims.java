package org.labspace.connector.trust;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names under which a verified caller's facts reach the policy engine (as the participant agent's claims).
 * Policies written on these names can trust them: they come from the signed registry, never from the caller's token.
 */
public final class CallerClaims {

    public static final String PARTICIPANT_ID = "labspace:participantId";
    public static final String DISPLAY_NAME = "labspace:displayName";
    public static final String COUNTRY = "labspace:country";
    public static final String ORGANIZATION_TYPE = "labspace:organizationType";
    public static final String ACCREDITATIONS = "labspace:accreditations";
    public static final String REGISTRY_VERSION = "labspace:registryVersion";

    private CallerClaims() {
    }

    public static Map<String, Object> of(VerifiedCaller caller) {
        var claims = new LinkedHashMap<String, Object>();
        claims.put(PARTICIPANT_ID, caller.participantId());
        claims.put(DISPLAY_NAME, caller.displayName());
        claims.put(COUNTRY, caller.country());
        claims.put(ORGANIZATION_TYPE, caller.organizationType());
        claims.put(ACCREDITATIONS, caller.accreditations());
        claims.put(REGISTRY_VERSION, caller.registryVersion());
        return claims;
    }
}
