package org.labspace.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A policy, a rule or a condition in one plain-language sentence each, for people who never read ODRL. */
public final class PlainLanguage {

    private PlainLanguage() {
    }

    public static String paragraph(LabPolicy policy) {
        var sentences = new ArrayList<String>();
        sentences.add(policy.visibleTo().isEmpty() ? "Datasets under policy " + policy.id() + " are visible in the catalog to every active member of the network."
                : "Datasets under policy " + policy.id() + " are visible in the catalog to members whose " + who(policy.visibleTo()) + ".");
        for (var rule : policy.rules()) {
            sentences.add(rule(rule));
        }
        return String.join(" ", sentences);
    }

    public static String rule(Rule rule) {
        var sentence = new StringBuilder("Rule ").append(rule.name()).append(" grants agreements for ")
                .append(or(rule.purposes().stream().map(Purpose::words).toList()));
        var conditions = rule.participantConditions();
        sentence.append(conditions.isEmpty() ? " to any member" : " to members whose " + who(conditions));
        var terms = new ArrayList<String>();
        for (var c : rule.terms()) {
            terms.add(switch (c.operand()) {
                case VALID_FOR -> "valid for " + Durations.words(c.value()) + " from signature";
                case VALID_UNTIL -> "valid until " + c.value();
                case MAX_TRANSFERS -> "at most " + c.value() + " transfer" + ("1".equals(c.value()) ? "" : "s");
                default -> c.operand().term() + " " + c.value();
            });
        }
        for (var c : rule.restrictions()) {
            terms.add(restriction(c));
        }
        if (!terms.isEmpty()) {
            sentence.append(", ").append(String.join("; ", terms));
        }
        sentence.append('.');
        for (var duty : rule.duties()) {
            sentence.append(duty.operand() == Operand.ATTRIBUTION ? " Users must cite: \"" + duty.value() + "\"."
                    : " Users must delete the data within " + Durations.words(duty.value()) + ".");
        }
        return sentence.toString();
    }

    public static String restriction(Condition c) {
        return switch (c.operand()) {
            case ALLOWED_COLUMNS -> "only the columns " + String.join(", ", c.values());
            case DENIED_COLUMNS -> "without the columns " + String.join(", ", c.values());
            case MASKED_COLUMNS -> "with " + c.values().stream().map(PlainLanguage::mask).collect(Collectors.joining(", "));
            case ROW_FILTER -> "only rows where " + c.value();
            case MAX_ROWS_PER_TRANSFER -> "at most " + c.value() + " rows per transfer";
            default -> c.operand().term() + " " + c.value();
        };
    }

    private static String mask(String entry) {
        var colon = entry.lastIndexOf(':');
        var column = colon < 0 ? entry : entry.substring(0, colon);
        var mode = colon < 0 ? "hash" : entry.substring(colon + 1);
        return column + (mode.equals("null") ? " blanked" : " replaced by a salted hash");
    }

    /** "country is one of ES, PT and organization type is university". */
    static String who(List<Condition> conditions) {
        return conditions.stream().map(PlainLanguage::condition).collect(Collectors.joining(" and "));
    }

    public static String condition(Condition c) {
        var subject = switch (c.operand()) {
            case MEMBER_COUNTRY -> "country";
            case ORGANIZATION_TYPE -> "organization type";
            case ACCREDITATION -> "accreditations";
            case PARTICIPANT -> "participant id";
            default -> c.operand().term();
        };
        if (c.operand() == Operand.ACCREDITATION) {
            return switch (c.operator()) {
                case EQ -> "accreditations include " + c.value();
                case NEQ -> "accreditations do not include " + c.value();
                case IS_ANY_OF -> "accreditations include one of " + String.join(", ", c.values());
                case IS_NONE_OF -> "accreditations include none of " + String.join(", ", c.values());
            };
        }
        return subject + " " + c.operator().words() + " " + String.join(", ", c.values());
    }

    private static String or(List<String> words) {
        if (words.size() <= 1) {
            return String.join("", words);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }
}
