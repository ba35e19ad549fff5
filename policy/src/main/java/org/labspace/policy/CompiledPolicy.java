package org.labspace.policy;

import java.util.List;

/**
 * A Labspace policy as EDC policy definitions: one access policy (catalog visibility) and one contract policy per
 * rule and purpose, each offered on its own so that the agreement records the purpose the consumer chose.
 */
public record CompiledPolicy(String policyId, Odrl.Policy access, List<Offer> offers) {

    /** Separates the policy id, the rule and the purpose in an offer's definition id; not allowed in any of them. */
    public static final String SEPARATOR = "~";

    public CompiledPolicy {
        offers = List.copyOf(offers);
    }

    /** @param definitionId {@code policy~rule~purpose} */
    public record Offer(String definitionId, String rule, String purpose, Odrl.Policy policy) {
    }

    public static String offerId(String policyId, String rule, String purpose) {
        return policyId + SEPARATOR + rule + SEPARATOR + purpose;
    }

    /** The policy id an offer or access definition id belongs to. */
    public static String policyOf(String definitionId) {
        var cut = definitionId.indexOf(SEPARATOR);
        return cut < 0 ? definitionId : definitionId.substring(0, cut);
    }
}
