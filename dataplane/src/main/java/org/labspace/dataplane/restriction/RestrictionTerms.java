package org.labspace.dataplane.restriction;

import org.labspace.dataplane.filter.FilterException;
import org.labspace.dataplane.filter.FilterParser;
import org.labspace.dataplane.filter.RowFilter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The data restrictions an agreement's policy carries, as ODRL constraints whose left operands are these Labspace
 * terms, and how their right operands read. Column lists are a list of names or one comma-separated text; a masked
 * column is {@code name} or {@code name:hash} (hashed) or {@code name:null} (nulled).
 */
public final class RestrictionTerms {

    public static final String NAMESPACE = "https://w3id.org/labspace/v1/";
    public static final String ALLOWED_COLUMNS = NAMESPACE + "allowedColumns";
    public static final String DENIED_COLUMNS = NAMESPACE + "deniedColumns";
    public static final String MASKED_COLUMNS = NAMESPACE + "maskedColumns";
    public static final String ROW_FILTER = NAMESPACE + "rowFilter";
    public static final String MAX_ROWS = NAMESPACE + "maxRowsPerTransfer";
    public static final Set<String> ALL = Set.of(ALLOWED_COLUMNS, DENIED_COLUMNS, MASKED_COLUMNS, ROW_FILTER, MAX_ROWS);

    private RestrictionTerms() {
    }

    /** True for a left operand (full IRI or its local name) that is one of the restriction terms. */
    public static boolean isRestriction(String leftOperand) {
        return ALL.contains(iri(leftOperand));
    }

    /**
     * Reads restrictions from (left operand, right operand) pairs. Several constraints on the same term narrow each
     * other: allowed columns intersect, denied and masked columns add up, filters all apply, the smallest row cap wins.
     *
     * @throws RestrictionException when a right operand does not read; the agreement then serves nothing
     */
    public static Restrictions read(List<Map.Entry<String, Object>> constraints) {
        Set<String> allowed = null;
        var denied = new LinkedHashSet<String>();
        var masked = new LinkedHashMap<String, Restrictions.Mask>();
        RowFilter filter = null;
        Long maxRows = null;
        for (var constraint : constraints) {
            var term = iri(constraint.getKey());
            var value = constraint.getValue();
            switch (term) {
                case ALLOWED_COLUMNS -> {
                    var columns = new LinkedHashSet<>(columns(term, value));
                    if (allowed == null) {
                        allowed = columns;
                    } else {
                        allowed.retainAll(columns);
                    }
                }
                case DENIED_COLUMNS -> denied.addAll(columns(term, value));
                case MASKED_COLUMNS -> {
                    for (var entry : columns(term, value)) {
                        var colon = entry.lastIndexOf(':');
                        var mode = colon < 0 ? "hash" : entry.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                        var column = colon < 0 ? entry : entry.substring(0, colon).trim();
                        if (!mode.equals("hash") && !mode.equals("null")) {
                            throw new RestrictionException("maskedColumns entry '" + entry + "' has mask '" + mode + "'; use hash or null");
                        }
                        // a column both hashed and nulled is nulled: the stricter wins
                        masked.merge(column, mode.equals("null") ? Restrictions.Mask.NULL : Restrictions.Mask.HASH,
                                (a, b) -> a == Restrictions.Mask.NULL || b == Restrictions.Mask.NULL ? Restrictions.Mask.NULL : a);
                    }
                }
                case ROW_FILTER -> {
                    try {
                        filter = RowFilter.both(filter, FilterParser.parse(text(term, value)));
                    } catch (FilterException e) {
                        throw new RestrictionException("the agreement's rowFilter does not parse: " + e.getMessage());
                    }
                }
                case MAX_ROWS -> {
                    long cap;
                    try {
                        cap = Long.parseLong(text(term, value).trim());
                    } catch (NumberFormatException e) {
                        throw new RestrictionException("maxRowsPerTransfer must be a whole number, not '" + value + "'");
                    }
                    if (cap < 0) {
                        throw new RestrictionException("maxRowsPerTransfer must not be negative: " + cap);
                    }
                    maxRows = maxRows == null ? cap : Math.min(maxRows, cap);
                }
                default -> {
                    // not a data restriction: evaluated elsewhere
                }
            }
        }
        return new Restrictions(allowed, denied, masked, filter, maxRows);
    }

    private static String iri(String leftOperand) {
        return leftOperand.startsWith("http") ? leftOperand : NAMESPACE + leftOperand.replaceFirst("^labspace:", "");
    }

    private static List<String> columns(String term, Object value) {
        var names = new ArrayList<String>();
        if (value instanceof Collection<?> list) {
            for (var item : list) {
                names.add(text(term, item).trim());
            }
        } else {
            for (var part : text(term, value).split(",")) {
                names.add(part.trim());
            }
        }
        names.removeIf(String::isEmpty);
        if (names.isEmpty() && !term.equals(ALLOWED_COLUMNS)) {
            throw new RestrictionException(term.substring(NAMESPACE.length()) + " names no column");
        }
        return names;
    }

    private static String text(String term, Object value) {
        if (value == null) {
            throw new RestrictionException(term.substring(NAMESPACE.length()) + " has no value");
        }
        return value.toString();
    }
}
