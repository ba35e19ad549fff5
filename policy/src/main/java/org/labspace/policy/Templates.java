package org.labspace.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Ready-made policies for the common cases, as policy files with parameters: {@code ${name}} must be given,
 * {@code ${name:default}} may be.
 */
public final class Templates {

    public static final List<String> NAMES = List.of("members-only", "iberian-members", "non-commercial-research",
            "research-pii-masked", "evaluation-time-limited");
    private static final Pattern PARAMETER = Pattern.compile("\\$\\{([a-zA-Z]+)(?::([^}]*))?}");

    private Templates() {
    }

    /** The template's text with its parameters filled in; {@code id} is the new policy's id. */
    public static String render(String name, String id, Map<String, String> parameters) {
        var text = source(name);
        var values = new java.util.HashMap<>(parameters);
        values.put("id", id);
        var missing = new TreeSet<String>();
        var unused = new TreeSet<>(parameters.keySet());
        var matcher = PARAMETER.matcher(text);
        var out = new StringBuilder();
        while (matcher.find()) {
            var parameter = matcher.group(1);
            unused.remove(parameter);
            var value = values.getOrDefault(parameter, matcher.group(2));
            if (value == null) {
                missing.add(parameter);
                value = "";
            }
            matcher.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        if (!missing.isEmpty()) {
            throw PolicyException.of(new SourceRef("template " + name, 0, "$"), "the template needs the parameter"
                    + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + " (--param NAME=VALUE)");
        }
        if (!unused.isEmpty()) {
            throw PolicyException.of(new SourceRef("template " + name, 0, "$"), "the template has no parameter " + String.join(", ", unused)
                    + "; it takes: " + String.join(", ", parameters(name)));
        }
        return out.toString();
    }

    /** The parameters a template takes, besides the policy id. */
    public static Set<String> parameters(String name) {
        var matcher = PARAMETER.matcher(source(name));
        var names = new TreeSet<String>();
        while (matcher.find()) {
            if (!matcher.group(1).equals("id")) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /** The template's first comment line: what it is for. */
    public static String summary(String name) {
        return source(name).lines().findFirst().orElse("").replaceFirst("^#\\s*", "");
    }

    private static String source(String name) {
        if (!NAMES.contains(name)) {
            throw PolicyException.of(new SourceRef("template " + name, 0, "$"), "no template named '" + name + "'"
                    + PolicyReader.suggestion(name, NAMES) + "; templates: " + String.join(", ", NAMES));
        }
        try (var in = Templates.class.getResourceAsStream("templates/" + name + ".yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
