package org.labspace.connector.research;

import com.fasterxml.jackson.databind.JsonNode;
import org.labspace.policy.Odrl;
import org.labspace.policy.Operator;

import java.util.ArrayList;
import java.util.List;

/** The constraints of an offer as a peer's DSP catalog shows it (compacted JSON-LD), as the policy module's records. */
final class OfferConstraints {

    private OfferConstraints() {
    }

    static List<Odrl.Constraint> of(JsonNode offer) {
        var out = new ArrayList<Odrl.Constraint>();
        collect(offer, out);
        return out;
    }

    private static void collect(JsonNode node, List<Odrl.Constraint> out) {
        if (node.isObject()) {
            var left = field(node, "leftOperand");
            var operator = field(node, "operator");
            var right = field(node, "rightOperand");
            if (left != null && operator != null && right != null) {
                var op = Operator.of(id(operator));
                if (op.isPresent()) {
                    out.add(new Odrl.Constraint(id(left), op.get(), value(right)));
                }
                return;
            }
        }
        node.forEach(child -> collect(child, out));
    }

    private static JsonNode field(JsonNode node, String name) {
        var value = node.get(name);
        return value != null ? value : node.get("odrl:" + name);
    }

    private static String id(JsonNode node) {
        return node.isTextual() ? node.asText() : node.path("@id").asText(node.path("@value").asText());
    }

    private static Object value(JsonNode node) {
        if (node.isArray()) {
            var values = new ArrayList<String>();
            node.forEach(v -> values.add(v.isValueNode() ? v.asText() : v.path("@value").asText()));
            return values;
        }
        return node.isValueNode() ? node.asText() : node.path("@value").asText();
    }
}
