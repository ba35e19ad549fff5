package org.labspace.connector.trust;

import java.util.List;

/**
 * One lab in the network registry, as the network operator vouches for it.
 *
 * @param participantId    the lab's participant id, e.g. {@code lab-madrid}
 * @param displayName      the lab's name for people
 * @param country          ISO 3166-1 alpha-2 code, e.g. {@code ES}
 * @param organizationType one of {@link #ORGANIZATION_TYPES}
 * @param accreditations   free strings such as {@code ethics-board-approved}
 * @param dspEndpoint      the lab's Dataspace Protocol address
 * @param dataEndpoint     the lab's data plane address
 * @param keys             the lab's public keys; several while a key rotates
 * @param status           {@code active} or {@code suspended}
 */
public record NetworkMember(String participantId, String displayName, String country, String organizationType,
                            List<String> accreditations, String dspEndpoint, String dataEndpoint, List<MemberKey> keys,
                            String status) {

    public static final List<String> ORGANIZATION_TYPES = List.of("university", "public-research", "hospital", "company", "government");
    public static final String ACTIVE = "active";
    public static final String SUSPENDED = "suspended";

    public NetworkMember {
        accreditations = accreditations == null ? List.of() : List.copyOf(accreditations);
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    /**
     * A public key of a member.
     *
     * @param kid       the key id: the RFC 7638 thumbprint of the key
     * @param publicKey the key as SubjectPublicKeyInfo PEM
     */
    public record MemberKey(String kid, String publicKey) {

        /** The registry entry for a key: its thumbprint as key id, and its PEM. */
        public static MemberKey of(java.security.PublicKey key) {
            return new MemberKey(LabKeys.keyId(key), LabKeys.publicPem(key));
        }
    }
}
