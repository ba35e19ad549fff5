package org.labspace.connector.policy;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.labspace.policy.CompiledPolicy;
import org.labspace.policy.LabPolicy;
import org.labspace.policy.PlainLanguage;
import org.labspace.policy.PolicyException;
import org.labspace.policy.PolicyProblem;
import org.labspace.policy.PolicyWriter;
import org.labspace.policy.Templates;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The policy officer's API, under the Management API (same key): {@code /labspace/v1/policies}. A policy is sent as
 * {@code {"file": "clinical.yaml", "source": "<YAML or JSON text>"}} or {@code {"template": NAME, "id": ID,
 * "parameters": {...}}}. Errors are {@code {"message": ..., "problems": ["file:line (path): reason", ...]}}.
 */
@Path("/labspace/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyApiController {

    private final PolicyService service;

    public PolicyApiController(PolicyService service) {
        this.service = service;
    }

    @GET
    public Response list() {
        return handle(() -> Response.ok(service.list().stream().map(p -> summary(p)).toList()).build());
    }

    @GET
    @Path("templates")
    public Response templates() {
        return Response.ok(Templates.NAMES.stream().map(name -> {
            var view = new LinkedHashMap<String, Object>();
            view.put("name", name);
            view.put("summary", Templates.summary(name));
            view.put("parameters", Templates.parameters(name));
            return view;
        }).toList()).build();
    }

    @POST
    @Path("validate")
    public Response validate(Map<String, Object> body) {
        return handle(() -> {
            var source = source(body);
            var policy = service.validate(source.getKey(), source.getValue());
            var view = view(policy);
            view.put("valid", true);
            return Response.ok(view).build();
        });
    }

    @POST
    public Response apply(Map<String, Object> body) {
        return handle(() -> {
            var source = source(body);
            var applied = service.apply(source.getKey(), source.getValue());
            var view = view(applied.policy());
            view.put("offers", applied.compiled().offers().stream().map(CompiledPolicy.Offer::definitionId).toList());
            view.put("datasets", applied.datasets());
            return Response.status(applied.created() ? 201 : 200).entity(view).build();
        });
    }

    @GET
    @Path("{id}")
    public Response show(@PathParam("id") String id) {
        return handle(() -> Response.ok(view(service.show(id))).build());
    }

    @POST
    @Path("{id}/explain")
    public Response explain(@PathParam("id") String id, Map<String, Object> body) {
        return handle(() -> {
            var request = body == null ? Map.<String, Object>of() : body;
            var explanation = service.explain(id, text(request, "participant"), text(request, "purpose"));
            var view = new LinkedHashMap<String, Object>();
            view.put("policy", explanation.policyId());
            view.put("participant", explanation.participant());
            view.put("purpose", explanation.purpose());
            view.put("visible", explanation.visible());
            view.put("granted", explanation.granted());
            view.put("rule", explanation.rule());
            view.put("restrictions", explanation.restrictions());
            view.put("duties", explanation.duties());
            view.put("lines", explanation.lines());
            return Response.ok(view).build();
        });
    }

    private static Map<String, Object> summary(LabPolicy policy) {
        var view = new LinkedHashMap<String, Object>();
        view.put("id", policy.id());
        view.put("description", policy.description());
        view.put("rules", policy.rules().stream().map(r -> r.name()).toList());
        view.put("purposes", policy.purposes());
        return view;
    }

    private static Map<String, Object> view(LabPolicy policy) {
        var view = summary(policy);
        view.put("summary", PlainLanguage.paragraph(policy));
        view.put("yaml", PolicyWriter.yaml(policy));
        return view;
    }

    /** (file name, text) of the policy in the request, from a source text or a template. */
    private static Map.Entry<String, String> source(Map<String, Object> body) {
        if (body == null) {
            throw new PolicyRequestException(400, "a JSON object with 'source' (the policy text) or 'template' is required", List.of());
        }
        var template = text(body, "template");
        if (template != null) {
            var id = text(body, "id");
            if (id == null) {
                throw new PolicyRequestException(400, "'id' is missing: the id of the policy made from the template", List.of());
            }
            var parameters = new LinkedHashMap<String, String>();
            if (body.get("parameters") instanceof Map<?, ?> given) {
                given.forEach((k, v) -> parameters.put(String.valueOf(k), String.valueOf(v)));
            } else if (body.get("parameters") != null) {
                throw new PolicyRequestException(400, "'parameters' must be an object of names to values", List.of());
            }
            try {
                return Map.entry("template " + template, Templates.render(template, id, parameters));
            } catch (PolicyException e) {
                throw new PolicyRequestException(400, e.problems().get(0).message(), e.problems().stream().map(PolicyProblem::toString).toList());
            }
        }
        var source = text(body, "source");
        if (source == null) {
            throw new PolicyRequestException(400, "'source' is missing: the policy as YAML or JSON text (or give 'template')", List.of());
        }
        var file = text(body, "file");
        return Map.entry(file == null ? "policy" : file, source);
    }

    private static String text(Map<String, Object> body, String field) {
        var value = body.get(field);
        if (value != null && !(value instanceof String)) {
            throw new PolicyRequestException(400, "'" + field + "' must be a string", List.of());
        }
        return (String) value;
    }

    private static Response handle(Supplier<Response> action) {
        try {
            return action.get();
        } catch (PolicyRequestException e) {
            var error = new LinkedHashMap<String, Object>();
            error.put("message", e.getMessage());
            if (!e.problems().isEmpty()) {
                error.put("problems", e.problems());
            }
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(error).build();
        }
    }
}
