package org.labspace.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAmount;

/** ISO 8601 durations as policies write them: {@code P90D}, {@code P1Y}, {@code P2W}, {@code PT12H}. */
public final class Durations {

    private Durations() {
    }

    /** @throws IllegalArgumentException when the text is not a positive ISO 8601 duration */
    public static TemporalAmount parse(String text) {
        var value = text == null ? "" : text.trim();
        try {
            if (value.contains("T")) {
                var duration = Duration.parse(value);
                if (duration.isNegative() || duration.isZero()) {
                    throw new IllegalArgumentException("'" + text + "' is not a positive duration");
                }
                return duration;
            }
            var period = Period.parse(value);
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("'" + text + "' is not a positive duration");
            }
            return period;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not an ISO 8601 duration such as P90D, P1Y or PT12H");
        }
    }

    /** The instant {@code amount} after {@code start}, counting calendar periods in UTC. */
    public static Instant after(Instant start, TemporalAmount amount) {
        return start.atZone(ZoneOffset.UTC).plus(amount).toInstant();
    }

    /** "90 days", "1 year", "12 hours": for plain-language texts. */
    public static String words(String text) {
        try {
            var amount = parse(text);
            if (amount instanceof Period p) {
                var parts = new java.util.ArrayList<String>();
                if (p.getYears() != 0) {
                    parts.add(count(p.getYears(), "year"));
                }
                if (p.getMonths() != 0) {
                    parts.add(count(p.getMonths(), "month"));
                }
                if (p.getDays() != 0) {
                    parts.add(count(p.getDays(), "day"));
                }
                return String.join(" and ", parts);
            }
            var d = (Duration) amount;
            if (d.toMinutes() % 60 == 0) {
                return count(d.toHours(), "hour");
            }
            return count(d.toMinutes(), "minute");
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static String count(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
