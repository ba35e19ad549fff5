package org.labspace.policy;

import java.time.Instant;

/**
 * What a constraint is decided on.
 *
 * @param participant    the requesting participant, from the registry; null when unknown
 * @param purpose        the purpose declared (the offer chosen)
 * @param now            the time of the decision
 * @param signedAt       when the agreement was signed; null before there is one (catalog, negotiation)
 * @param transfersSoFar transfers already made under the agreement; null before there is one
 */
public record AccessFacts(Participant participant, String purpose, Instant now, Instant signedAt, Long transfersSoFar) {
}
