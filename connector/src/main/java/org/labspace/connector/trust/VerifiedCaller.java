package org.labspace.connector.trust;

import java.util.List;

/**
 * Who is calling, as the network registry vouches for it after the caller's token verified. These are the facts
 * policies may rely on; {@code tokenId} is the id of the token that proved it.
 */
public record VerifiedCaller(String participantId, String displayName, String country, String organizationType,
                             List<String> accreditations, long registryVersion, String tokenId) {

    public VerifiedCaller {
        accreditations = List.copyOf(accreditations);
    }

    static VerifiedCaller of(NetworkMember member, NetworkRegistry registry, String tokenId) {
        return new VerifiedCaller(member.participantId(), member.displayName(), member.country(), member.organizationType(),
                member.accreditations(), registry.version(), tokenId);
    }
}
