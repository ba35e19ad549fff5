package org.labspace.policy;

import java.util.List;

/**
 * What a policy may know about a participant: the facts of its entry in the signed network registry, never what the
 * participant says of itself.
 */
public record Participant(String id, String country, String organizationType, List<String> accreditations, boolean active) {

    public static final List<String> ORGANIZATION_TYPES = List.of("university", "public-research", "hospital", "company", "government");

    public Participant {
        accreditations = accreditations == null ? List.of() : List.copyOf(accreditations);
    }
}
