package org.labspace.connector.trust;

import java.util.List;

/**
 * Who is calling, as the network registry vouches for it after the caller's token verified. These are the facts
 * policies may rely on.
 */
public record VerifiedCaller(String participantId, String displayName, String country, String organizationType,
                             List<String> accreditations, long registryVersion) {

    public VerifiedCaller {
        accreditations = List.copyOf(accreditations);
    }

    static VerifiedCaller of(NetworkMember member, NetworkRegistry registry) {
        return new VerifiedCaller(member.participantId(), member.displayName(), member.country(), member.organizationType(),
                member.accreditations(), registry.version());
    }
}
