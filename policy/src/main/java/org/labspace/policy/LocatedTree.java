package org.labspace.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML or JSON document as a tree, with the line where each node starts, keyed by its JSON path
 * ({@code $.allow[0].when}). Jackson's own tree drops locations, and silently keeps the last of two equal keys;
 * this reader keeps the lines and refuses duplicate keys.
 */
final class LocatedTree {

    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    final JsonNode root;
    private final Map<String, Integer> lines;
    final String file;

    private LocatedTree(JsonNode root, Map<String, Integer> lines, String file) {
        this.root = root;
        this.lines = lines;
        this.file = file;
    }

    /** Reads JSON when the text starts with '{', YAML otherwise (JSON is also YAML, but JSON errors read better). */
    static LocatedTree read(String file, String text) {
        var json = text.stripLeading().startsWith("{");
        var lines = new HashMap<String, Integer>();
        try (var parser = (json ? JSON : YAML).createParser(text)) {
            var first = parser.nextToken();
            if (first == null) {
                throw PolicyException.of(new SourceRef(file, 0, "$"), "the file is empty");
            }
            var root = node(parser, "$", lines, file);
            if (parser.nextToken() != null) {
                throw PolicyException.of(new SourceRef(file, line(parser), "$"), "more than one document in the file");
            }
            return new LocatedTree(root, lines, file);
        } catch (JsonParseException e) {
            var location = e.getLocation();
            var message = e.getOriginalMessage().lines().findFirst().orElse("unreadable");
            throw PolicyException.of(new SourceRef(file, location == null ? 0 : location.getLineNr(), "$"),
                    "not valid " + (json ? "JSON" : "YAML") + ": " + message);
        } catch (IOException e) {
            throw PolicyException.of(new SourceRef(file, 0, "$"), "unreadable: " + e.getMessage());
        }
    }

    private static JsonNode node(JsonParser parser, String path, Map<String, Integer> lines, String file) throws IOException {
        lines.put(path, line(parser));
        var token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            ObjectNode object = NODES.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                var name = parser.currentName();
                var keyLine = line(parser);
                if (object.has(name)) {
                    throw PolicyException.of(new SourceRef(file, keyLine, path + "." + name), "'" + name + "' is given twice");
                }
                parser.nextToken();
                var child = path + "." + name;
                object.set(name, node(parser, child, lines, file));
                lines.put(child, keyLine);
            }
            return object;
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode array = NODES.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(node(parser, path + "[" + array.size() + "]", lines, file));
            }
            return array;
        }
        return switch (token) {
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> NODES.numberNode(parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(parser.getBooleanValue());
            case VALUE_NULL -> NODES.nullNode();
            default -> throw PolicyException.of(new SourceRef(file, line(parser), path), "unexpected " + token);
        };
    }

    private static int line(JsonParser parser) {
        var location = parser.currentTokenLocation();
        return location == null ? 0 : location.getLineNr();
    }

    /** Where the node at {@code path} was written. */
    SourceRef ref(String path) {
        return new SourceRef(file, lines.getOrDefault(path, 0), path);
    }
}
