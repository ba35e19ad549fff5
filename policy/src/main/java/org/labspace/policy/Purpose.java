package org.labspace.policy;

import java.util.List;

/** The controlled vocabulary of purposes a researcher declares when asking for access. */
public final class Purpose {

    public static final List<String> ALL = List.of("research.non-commercial", "research.ai-training", "research.evaluation", "education", "commercial");

    private Purpose() {
    }

    public static boolean isKnown(String purpose) {
        return ALL.contains(purpose);
    }

    /** The purpose in plain words. */
    public static String words(String purpose) {
        return switch (purpose) {
            case "research.non-commercial" -> "non-commercial research";
            case "research.ai-training" -> "AI model training in research";
            case "research.evaluation" -> "evaluation in research";
            case "education" -> "education";
            case "commercial" -> "commercial use";
            default -> purpose;
        };
    }
}
