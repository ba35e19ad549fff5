package org.labspace.dataplane.filter;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the row filter language into a {@link RowFilter}:
 * <pre>
 *   filter     := or
 *   or         := and ("OR" and)*
 *   and        := not ("AND" not)*
 *   not        := "NOT" not | "(" filter ")" | predicate
 *   predicate  := column op literal | literal op column | column ["NOT"] "IN" "(" literal ("," literal)* ")"
 *               | column "IS" ["NOT"] "NULL"
 *   op         := "=" | "!=" | "&lt;&gt;" | "&lt;" | "&lt;=" | "&gt;" | "&gt;="
 *   literal    := 'text' | number | TRUE | FALSE | DATE 'yyyy-mm-dd' | TIMESTAMP 'yyyy-mm-dd hh:mm:ss[.f][zone]'
 *   column     := name | "any name"
 * </pre>
 * Keywords are case-insensitive; quotes inside quotes are doubled. Errors name the position (1-based) and the reason.
 */
public final class FilterParser {

    /** Longest filter accepted: a filter is a condition, not a payload. */
    public static final int MAX_LENGTH = 8192;
    private static final int MAX_DEPTH = 64;
    private static final int MAX_IN_VALUES = 1000;
    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "DATE", "TIMESTAMP");
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral(' ')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .toFormatter(Locale.ROOT);
    private static final DateTimeFormatter TIMESTAMP_WITH_ZONE = new DateTimeFormatterBuilder()
            .append(TIMESTAMP)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .parseDefaulting(ChronoField.OFFSET_SECONDS, 0)
            .toFormatter(Locale.ROOT);

    private final String text;
    private final List<Token> tokens;
    private int next;
    private int depth;

    private FilterParser(String text) {
        this.text = text;
        this.tokens = tokenize(text);
    }

    /** Parses a filter; blank text is "no filter" (null). */
    public static RowFilter parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > MAX_LENGTH) {
            throw new FilterException("filter is " + text.length() + " characters long; at most " + MAX_LENGTH + " are accepted");
        }
        var parser = new FilterParser(text);
        var filter = parser.or();
        if (parser.peek().type != TokenType.END) {
            throw parser.error(parser.peek(), "unexpected " + parser.peek().describe() + " after a complete filter");
        }
        return filter;
    }

    static boolean isKeyword(String word) {
        return KEYWORDS.contains(word.toUpperCase(Locale.ROOT));
    }

    private RowFilter or() {
        var left = and();
        while (acceptKeyword("OR")) {
            left = new RowFilter.Or(left, and());
        }
        return left;
    }

    private RowFilter and() {
        var left = not();
        while (acceptKeyword("AND")) {
            left = new RowFilter.And(left, not());
        }
        return left;
    }

    private RowFilter not() {
        if (++depth > MAX_DEPTH) {
            throw error(peek(), "filter nests deeper than " + MAX_DEPTH + " levels");
        }
        try {
            if (acceptKeyword("NOT")) {
                return new RowFilter.Not(not());
            }
            if (peek().type == TokenType.OPEN) {
                next++;
                var inner = or();
                expect(TokenType.CLOSE, "')' to close the '(' ");
                return inner;
            }
            return predicate();
        } finally {
            depth--;
        }
    }

    private RowFilter predicate() {
        var token = peek();
        if (isLiteralStart(token)) {
            var value = literal();
            var operator = operator();
            var column = column();
            return new RowFilter.Comparison(column, operator.flipped(), value);
        }
        var column = column();
        if (acceptKeyword("IS")) {
            var negated = acceptKeyword("NOT");
            expectKeyword("NULL", "NULL after IS" + (negated ? " NOT" : ""));
            return new RowFilter.IsNull(column, negated);
        }
        var negated = acceptKeyword("NOT");
        if (acceptKeyword("IN")) {
            expect(TokenType.OPEN, "'(' after IN");
            var values = new ArrayList<Literal>();
            do {
                if (values.size() == MAX_IN_VALUES) {
                    throw error(peek(), "IN lists hold at most " + MAX_IN_VALUES + " values");
                }
                values.add(literal());
            } while (accept(TokenType.COMMA));
            expect(TokenType.CLOSE, "',' or ')' in the IN list");
            return new RowFilter.In(column, values, negated);
        }
        if (negated) {
            throw error(peek(), "expected IN after NOT");
        }
        var operator = operator();
        return new RowFilter.Comparison(column, operator, literal());
    }

    private String column() {
        var token = peek();
        if (token.type == TokenType.QUOTED_NAME) {
            next++;
            return token.text;
        }
        if (token.type == TokenType.WORD && !isKeyword(token.text)) {
            next++;
            return token.text;
        }
        throw error(token, "expected a column name, found " + token.describe());
    }

    private RowFilter.Operator operator() {
        var token = peek();
        if (token.type != TokenType.OPERATOR) {
            throw error(token, "expected a comparison (=, !=, <, <=, >, >=), IN or IS, found " + token.describe());
        }
        next++;
        return switch (token.text) {
            case "=" -> RowFilter.Operator.EQ;
            case "!=", "<>" -> RowFilter.Operator.NE;
            case "<" -> RowFilter.Operator.LT;
            case "<=" -> RowFilter.Operator.LE;
            case ">" -> RowFilter.Operator.GT;
            default -> RowFilter.Operator.GE;
        };
    }

    private boolean isLiteralStart(Token token) {
        return token.type == TokenType.STRING || token.type == TokenType.NUMBER
                || token.type == TokenType.WORD && Set.of("TRUE", "FALSE", "DATE", "TIMESTAMP").contains(token.text.toUpperCase(Locale.ROOT));
    }

    private Literal literal() {
        var token = peek();
        next++;
        switch (token.type) {
            case STRING:
                return new Literal(Literal.Kind.STRING, token.text);
            case NUMBER:
                return number(token);
            case WORD:
                var word = token.text.toUpperCase(Locale.ROOT);
                if (word.equals("TRUE") || word.equals("FALSE")) {
                    return new Literal(Literal.Kind.BOOLEAN, Boolean.valueOf(word.equals("TRUE")));
                }
                if (word.equals("DATE")) {
                    var value = expectString("a quoted date after DATE, as in DATE '2024-01-31'");
                    try {
                        return new Literal(Literal.Kind.DATE, LocalDate.parse(value.text));
                    } catch (DateTimeParseException e) {
                        throw error(value, "'" + value.text + "' is not a date (yyyy-mm-dd)");
                    }
                }
                if (word.equals("TIMESTAMP")) {
                    return timestamp(expectString("a quoted timestamp after TIMESTAMP, as in TIMESTAMP '2024-01-31 12:00:00'"));
                }
                break;
            default:
                break;
        }
        next--;
        throw error(token, "expected a value ('text', a number, TRUE, FALSE, DATE '...', TIMESTAMP '...'), found " + token.describe());
    }

    private Literal number(Token token) {
        try {
            if (token.text.matches("-?[0-9]+")) {
                try {
                    return new Literal(Literal.Kind.INTEGER, Long.valueOf(token.text));
                } catch (NumberFormatException tooLarge) {
                    return new Literal(Literal.Kind.DECIMAL, new BigDecimal(token.text));
                }
            }
            if (token.text.contains("e") || token.text.contains("E")) {
                var value = Double.parseDouble(token.text);
                if (Double.isInfinite(value)) {
                    throw error(token, "number " + token.text + " is out of range");
                }
                return new Literal(Literal.Kind.DOUBLE, value);
            }
            return new Literal(Literal.Kind.DECIMAL, new BigDecimal(token.text));
        } catch (NumberFormatException e) {
            throw error(token, "'" + token.text + "' is not a number");
        }
    }

    private Literal timestamp(Token value) {
        var text = value.text.replace('T', ' ');
        try {
            if (text.endsWith("Z") || text.matches(".*[+-][0-9]{2}:[0-9]{2}$")) {
                OffsetDateTime.parse(text, TIMESTAMP_WITH_ZONE);
                return new Literal(Literal.Kind.TIMESTAMP_WITH_ZONE, text);
            }
            LocalDateTime.parse(text, TIMESTAMP);
            return new Literal(Literal.Kind.TIMESTAMP, text);
        } catch (DateTimeParseException e) {
            throw error(value, "'" + value.text + "' is not a timestamp (yyyy-mm-dd hh:mm:ss, optionally .fraction and Z or +hh:mm)");
        }
    }

    private Token expectString(String what) {
        var token = peek();
        if (token.type != TokenType.STRING) {
            throw error(token, "expected " + what + ", found " + token.describe());
        }
        next++;
        return token;
    }

    private boolean acceptKeyword(String keyword) {
        var token = peek();
        if (token.type == TokenType.WORD && token.text.equalsIgnoreCase(keyword)) {
            next++;
            return true;
        }
        return false;
    }

    private void expectKeyword(String keyword, String what) {
        if (!acceptKeyword(keyword)) {
            throw error(peek(), "expected " + what + ", found " + peek().describe());
        }
    }

    private boolean accept(TokenType type) {
        if (peek().type == type) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(TokenType type, String what) {
        if (!accept(type)) {
            throw error(peek(), "expected " + what + ", found " + peek().describe());
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private FilterException error(Token token, String reason) {
        return new FilterException("filter error at position " + (token.position + 1) + ": " + reason);
    }

    private static List<Token> tokenize(String text) {
        var tokens = new ArrayList<Token>();
        var i = 0;
        while (i < text.length()) {
            var c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                tokens.add(new Token(c == '(' ? TokenType.OPEN : c == ')' ? TokenType.CLOSE : TokenType.COMMA, String.valueOf(c), i));
                i++;
            } else if (c == '\'' || c == '"') {
                var value = new StringBuilder();
                var start = i++;
                while (true) {
                    if (i >= text.length()) {
                        throw new FilterException("filter error at position " + (start + 1) + ": " + (c == '\'' ? "text" : "column name")
                                + " starting here has no closing " + c);
                    }
                    if (text.charAt(i) == c) {
                        if (i + 1 < text.length() && text.charAt(i + 1) == c) {
                            value.append(c);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    value.append(text.charAt(i++));
                }
                if (c == '"' && value.isEmpty()) {
                    throw new FilterException("filter error at position " + (start + 1) + ": empty column name");
                }
                tokens.add(new Token(c == '\'' ? TokenType.STRING : TokenType.QUOTED_NAME, value.toString(), start));
            } else if ("=!<>".indexOf(c) >= 0) {
                var two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
                if (two.equals("!=") || two.equals("<=") || two.equals(">=") || two.equals("<>")) {
                    tokens.add(new Token(TokenType.OPERATOR, two, i));
                    i += 2;
                } else if (c == '!') {
                    throw new FilterException("filter error at position " + (i + 1) + ": '!' must be followed by '='");
                } else {
                    tokens.add(new Token(TokenType.OPERATOR, String.valueOf(c), i));
                    i++;
                }
            } else if (Character.isDigit(c) || (c == '-' || c == '.') && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                var start = i++;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.'
                        || (text.charAt(i) == '-' || text.charAt(i) == '+') && (text.charAt(i - 1) == 'e' || text.charAt(i - 1) == 'E'))) {
                    i++;
                }
                tokens.add(new Token(TokenType.NUMBER, text.substring(start, i), start));
            } else if (Character.isLetter(c) || c == '_') {
                var start = i++;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(new Token(TokenType.WORD, text.substring(start, i), start));
            } else {
                throw new FilterException("filter error at position " + (i + 1) + ": unexpected character '" + c + "'");
            }
        }
        tokens.add(new Token(TokenType.END, "", text.length()));
        return tokens;
    }

    private enum TokenType { WORD, QUOTED_NAME, STRING, NUMBER, OPERATOR, OPEN, CLOSE, COMMA, END }

    private record Token(TokenType type, String text, int position) {
        String describe() {
            return switch (type) {
                case END -> "the end of the filter";
                case STRING -> "text '" + text + "'";
                case QUOTED_NAME -> "column \"" + text + "\"";
                default -> "'" + text + "'";
            };
        }
    }
}
