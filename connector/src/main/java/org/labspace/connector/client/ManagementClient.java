package org.labspace.connector.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.labspace.catalog.Vocabulary;
import org.labspace.connector.config.LabConfig;
import org.labspace.connector.config.LabEndpoints;
import org.labspace.connector.config.LabSettings;
import org.labspace.connector.tls.TrustedCertificates;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A small client for a connector's Management API v3 (the subset Labspace's command line, sample and tests use).
 * Plain HTTP and JSON, no EDC types, so it works against any EDC 0.15 connector.
 */
public final class ManagementClient {

    public static final String EDC_NS = "https://w3id.org/edc/v0.0.1/ns/";
    public static final String ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld";
    public static final String DSP_2025 = "dataspace-protocol-http:2025-1";

    private final URI base;
    private final String apiKey;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Duration timeout;

    /**
     * @param base   the Management API base, e.g. {@code http://127.0.0.1:19193/management}
     * @param apiKey the value for the {@code X-Api-Key} header
     */
    public ManagementClient(URI base, String apiKey, Duration timeout) {
        this(base, apiKey, timeout, null);
    }

    /**
     * @param tls for an HTTPS Management API whose certificate the JDK's CAs do not cover; null for the JDK default
     */
    public ManagementClient(URI base, String apiKey, Duration timeout, SSLContext tls) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.apiKey = apiKey;
        this.timeout = timeout;
        var builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    /** A client for the connector that runs with {@code lab}: its address, key and, with TLS, its trusted CA. */
    public static ManagementClient forLab(LabConfig lab, Duration timeout) {
        var tls = lab.has(LabSettings.TLS_TRUSTED_CA) ? TrustedCertificates.sslContext(lab.getPath(LabSettings.TLS_TRUSTED_CA)) : null;
        return new ManagementClient(LabEndpoints.management(lab), lab.get(LabSettings.MANAGEMENT_KEY), timeout, tls);
    }

    public URI base() {
        return base;
    }

    // ---- assets, policies, contract definitions (provider side) ----

    public void createAsset(String id, Map<String, String> properties, Map<String, String> dataAddress) {
        var body = object();
        body.put("@id", id);
        var props = body.putObject("properties");
        properties.forEach(props::put);
        var address = body.putObject("dataAddress");
        dataAddress.forEach(address::put);
        post("/v3/assets", body);
    }

    /** Creates a policy definition from an ODRL policy object (without {@code @context}, which is added). */
    public void createPolicy(String id, ObjectNode odrlPolicy) {
        var body = object();
        body.put("@id", id);
        var policy = odrlPolicy.deepCopy();
        policy.put("@context", ODRL_CONTEXT);
        if (!policy.has("@type")) {
            policy.put("@type", "Set");
        }
        body.set("policy", policy);
        post("/v3/policydefinitions", body);
    }

    /** An ODRL set with no rules: anyone who sees it may agree to it. */
    public ObjectNode emptyPolicy() {
        var policy = mapper.createObjectNode();
        policy.put("@type", "Set");
        policy.putArray("permission");
        policy.putArray("prohibition");
        policy.putArray("obligation");
        return policy;
    }

    public void createContractDefinition(String id, String accessPolicyId, String contractPolicyId, List<String> assetIds) {
        var body = object();
        body.put("@id", id);
        body.put("accessPolicyId", accessPolicyId);
        body.put("contractPolicyId", contractPolicyId);
        var selectors = body.putArray("assetsSelector");
        if (!assetIds.isEmpty()) {
            var criterion = selectors.addObject();
            criterion.put("@type", "Criterion");
            criterion.put("operandLeft", EDC_NS + "id");
            criterion.put("operator", "in");
            var right = criterion.putArray("operandRight");
            assetIds.forEach(right::add);
        }
        post("/v3/contractdefinitions", body);
    }

    public JsonNode getAsset(String id) {
        return get("/v3/assets/" + id);
    }

    public ArrayNode queryAssets() {
        return query("/v3/assets/request");
    }

    public ArrayNode queryPolicies() {
        return query("/v3/policydefinitions/request");
    }

    public ArrayNode queryContractDefinitions() {
        return query("/v3/contractdefinitions/request");
    }

    // ---- catalog and negotiation (consumer side) ----

    /** Asks a peer for its catalog over DSP 2025-1. {@code dspAddress} is the peer's protocol base, e.g. {@code http://host:19194/protocol}. */
    public JsonNode requestCatalog(String dspAddress, String peerId) {
        return requestCatalog(dspAddress, peerId, -1);
    }

    /** A catalog page of at most {@code limit} datasets (EDC's default page is 50); a negative limit keeps the default. */
    public JsonNode requestCatalog(String dspAddress, String peerId, int limit) {
        var body = object();
        if (limit >= 0) {
            body.putObject("querySpec").put("offset", 0).put("limit", limit);
        }
        body.put("@type", "CatalogRequest");
        body.put("counterPartyAddress", versioned(dspAddress));
        body.put("counterPartyId", peerId);
        body.put("protocol", DSP_2025);
        return post("/v3/catalog/request", body);
    }

    /** One dataset of a peer's catalog, with its offers (DSP dataset request): no paging, whatever the catalog's size. */
    public JsonNode requestDataset(String dspAddress, String peerId, String datasetId) {
        var body = object();
        body.put("@type", "DatasetRequest");
        body.put("@id", datasetId);
        body.put("counterPartyAddress", versioned(dspAddress));
        body.put("counterPartyId", peerId);
        body.put("protocol", DSP_2025);
        return post("/v3/catalog/dataset/request", body);
    }

    /** Starts a negotiation for one offer; returns the consumer-side negotiation id. */
    public String negotiate(String dspAddress, String providerId, String offerId, String assetId) {
        var body = object();
        body.put("@type", "ContractRequest");
        body.put("counterPartyAddress", versioned(dspAddress));
        body.put("protocol", DSP_2025);
        var policy = body.putObject("policy");
        policy.put("@context", ODRL_CONTEXT);
        policy.put("@id", offerId);
        policy.put("@type", "Offer");
        policy.put("assigner", providerId);
        policy.put("target", assetId);
        return post("/v3/contractnegotiations", body).path("@id").asText();
    }

    public JsonNode getNegotiation(String id) {
        return get("/v3/contractnegotiations/" + id);
    }

    public ArrayNode queryNegotiations() {
        return query("/v3/contractnegotiations/request");
    }

    public JsonNode getAgreement(String id) {
        return get("/v3/contractagreements/" + id);
    }

    public ArrayNode queryAgreements() {
        return query("/v3/contractagreements/request");
    }

    /**
     * Polls a negotiation until it is FINALIZED or TERMINATED.
     *
     * @throws ManagementApiException when it does not settle in time
     */
    public JsonNode awaitNegotiation(String id, Duration within) {
        var deadline = System.nanoTime() + within.toNanos();
        var pause = 5L;
        while (true) {
            var negotiation = getNegotiation(id);
            var state = negotiation.path("state").asText();
            if ("FINALIZED".equals(state) || "TERMINATED".equals(state)) {
                return negotiation;
            }
            if (System.nanoTime() > deadline) {
                throw new ManagementApiException(0, "negotiation " + id + " still " + state + " after " + within.toSeconds() + " s");
            }
            sleep(pause);
            // the answer comes within a second or so: look often (a local API call costs a few milliseconds)
            pause = Math.min(pause * 3 / 2 + 1, 20);
        }
    }

    /**
     * Starts a negotiation for an offer exactly as the catalog showed it (its rules included: a provider only agrees to
     * the policy it offered). Returns the consumer-side negotiation id.
     */
    public String negotiateOffer(String dspAddress, String providerId, String assetId, JsonNode offer) {
        var body = object();
        body.put("@type", "ContractRequest");
        body.put("counterPartyAddress", versioned(dspAddress));
        body.put("protocol", DSP_2025);
        var policy = offer.deepCopy();
        if (policy instanceof ObjectNode object) {
            object.put("@context", ODRL_CONTEXT);
            object.put("@type", "Offer");
            object.put("assigner", providerId);
            object.put("target", assetId);
            body.set("policy", object);
        } else {
            throw new IllegalArgumentException("an offer is a JSON object, not " + offer);
        }
        return post("/v3/contractnegotiations", body).path("@id").asText();
    }

    /**
     * Negotiates the provider's offer of a dataset for a purpose, exactly as its catalog shows it, and waits until the
     * negotiation settles (FINALIZED or TERMINATED).
     *
     * @throws ManagementApiException 404 when the catalog does not show the dataset, or offers it for no such purpose
     */
    public JsonNode negotiateFor(String dspAddress, String providerId, String datasetId, String purpose, Duration within) {
        JsonNode dataset;
        try {
            dataset = requestDataset(dspAddress, providerId, datasetId);
        } catch (ManagementApiException e) {
            if (e.status() == 0) {
                throw e;
            }
            throw new ManagementApiException(404, providerId + "'s catalog does not show the dataset " + datasetId + " (" + e.getMessage() + ")");
        }
        var offer = offerFor(dataset, purpose);
        if (offer == null) {
            throw new ManagementApiException(404, providerId + " offers " + datasetId + " for no purpose " + purpose);
        }
        return awaitNegotiation(negotiateOffer(dspAddress, providerId, datasetId, offer), within);
    }

    // ---- transfers ----

    public static final String ARROW_PULL = Vocabulary.ARROW_PULL;

    /** Starts a transfer of an agreed dataset from the provider at {@code dspAddress}; returns the consumer-side transfer id. */
    public String startTransfer(String dspAddress, String agreementId, String transferType) {
        var body = object();
        body.put("@type", "TransferRequest");
        body.put("counterPartyAddress", versioned(dspAddress));
        body.put("protocol", DSP_2025);
        body.put("contractId", agreementId);
        body.put("transferType", transferType);
        return post("/v3/transferprocesses", body).path("@id").asText();
    }

    public JsonNode getTransfer(String id) {
        return get("/v3/transferprocesses/" + id);
    }

    public void terminateTransfer(String id, String reason) {
        var body = object();
        body.put("@type", "TerminateTransfer");
        body.put("reason", reason);
        post("/v3/transferprocesses/" + id + "/terminate", body);
    }

    /**
     * Waits for a started transfer's stream endpoint and token ({@code endpoint}, {@code token}, {@code dataset},
     * {@code agreementId}): they arrive from the provider shortly after the transfer starts.
     *
     * @throws ManagementApiException when the transfer ends without one or none arrives in time
     */
    /** A transfer's stream endpoint and token as they are now; 409 while it has none. */
    public JsonNode transferEndpoint(String transferId) {
        return get("/labspace/v1/transfers/" + transferId + "/endpoint");
    }

    public JsonNode awaitTransferEndpoint(String transferId, Duration within) {
        var deadline = System.nanoTime() + within.toNanos();
        var pause = 5L;
        while (true) {
            try {
                return get("/labspace/v1/transfers/" + transferId + "/endpoint");
            } catch (ManagementApiException e) {
                var state = getTransfer(transferId).path("state").asText();
                if (e.status() != 409 || state.equals("TERMINATED") || state.equals("COMPLETED")) {
                    throw new ManagementApiException(e.status(), "transfer " + transferId + " is " + state + " and has no endpoint: "
                            + getTransfer(transferId).path("errorDetail").asText(e.getMessage()));
                }
                if (System.nanoTime() > deadline) {
                    throw new ManagementApiException(0, "transfer " + transferId + " still " + state + " without an endpoint after "
                            + within.toSeconds() + " s");
                }
            }
            sleep(pause);
            // the answer comes within a second or so: look often (a local API call costs a few milliseconds)
            pause = Math.min(pause * 3 / 2 + 1, 20);
        }
    }

    // ---- Labspace datasets (/labspace/v1/datasets) ----

    public static final String DATASETS = "/labspace/v1/datasets";

    /** Registers a dataset: {@code id, path, title, description, keywords, license, accessPolicy, usagePolicy}. */
    public JsonNode registerDataset(Map<String, Object> registration) {
        return post(DATASETS, mapper.valueToTree(registration));
    }

    public JsonNode updateDataset(String id, Map<String, Object> registration) {
        return put(DATASETS + "/" + encode(id), mapper.valueToTree(registration));
    }

    public JsonNode getDataset(String id) {
        return get(DATASETS + "/" + encode(id));
    }

    public List<JsonNode> listDatasets(boolean withdrawnToo) {
        var list = new java.util.ArrayList<JsonNode>();
        get(DATASETS + (withdrawnToo ? "?withdrawn=true" : "")).forEach(list::add);
        return list;
    }

    public JsonNode withdrawDataset(String id) {
        return delete(DATASETS + "/" + encode(id));
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The dataset entries of a DSP catalog (one dataset is an object, several an array). */
    public static List<JsonNode> datasets(JsonNode catalog) {
        var node = catalog.has("dataset") ? catalog.get("dataset") : catalog.path("dcat:dataset");
        if (node.isArray()) {
            var list = new java.util.ArrayList<JsonNode>();
            node.forEach(list::add);
            return list;
        }
        return node.isMissingNode() || node.isNull() ? List.of() : List.of(node);
    }

    /** The first offer id of a catalog dataset. */
    /**
     * The dataset's offer for a purpose: Labspace offers a dataset once per purpose its policy grants, each offer
     * carrying {@code purpose eq <purpose>}. Null when no offer is for that purpose.
     */
    public static JsonNode offerFor(JsonNode dataset, String purpose) {
        var offers = dataset.path("hasPolicy");
        for (var offer : offers.isArray() ? offers : List.of(offers)) {
            if (declaresPurpose(offer, purpose)) {
                return offer;
            }
        }
        return null;
    }

    private static boolean declaresPurpose(JsonNode node, String purpose) {
        if (node.isObject()) {
            var left = node.has("leftOperand") ? node.get("leftOperand") : node.get("odrl:leftOperand");
            var right = node.has("rightOperand") ? node.get("rightOperand") : node.get("odrl:rightOperand");
            if (left != null && right != null) {
                var operand = left.isTextual() ? left.asText() : left.path("@id").asText();
                var value = right.isTextual() ? right.asText() : right.path("@value").asText();
                if (operand.endsWith("/purpose") && purpose.equals(value)) {
                    return true;
                }
            }
        }
        for (var child : node) {
            if (declaresPurpose(child, purpose)) {
                return true;
            }
        }
        return false;
    }

    public static String firstOfferId(JsonNode dataset) {
        var policies = dataset.has("hasPolicy") ? dataset.get("hasPolicy") : dataset.path("odrl:hasPolicy");
        var policy = policies.isArray() ? policies.path(0) : policies;
        return policy.path("@id").asText(null);
    }

    // ---- plumbing ----

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), path);
    }

    public JsonNode post(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), path);
    }

    public JsonNode put(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())), path);
    }

    public JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), path);
    }

    private ArrayNode query(String path) {
        var body = object();
        body.put("@type", "QuerySpec");
        body.put("offset", 0);
        body.put("limit", 10_000);
        var result = post(path, body);
        return result instanceof ArrayNode array ? array : mapper.createArrayNode();
    }

    private ObjectNode object() {
        var node = mapper.createObjectNode();
        node.putObject("@context").put("@vocab", EDC_NS);
        return node;
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private static String versioned(String dspAddress) {
        var trimmed = dspAddress.replaceAll("/+$", "");
        return trimmed.endsWith("/2025-1") ? trimmed : trimmed + "/2025-1";
    }

    private JsonNode send(HttpRequest.Builder request, String path) {
        request.header("X-Api-Key", apiKey).header("Accept", "application/json").timeout(timeout);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new ManagementApiException("cannot reach the connector's Management API at " + base + " (is the connector running?)", e);
        } catch (HttpTimeoutException e) {
            throw new ManagementApiException("the connector at " + base + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new ManagementApiException("cannot talk to the connector at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagementApiException("interrupted", e);
        }
        var status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new ManagementApiException(status, "the connector at " + base + " refused the API key (HTTP " + status + ")");
        }
        if (status >= 300) {
            throw new ManagementApiException(status, path + " failed with HTTP " + status + ": " + errorText(response.body()), problems(response.body()));
        }
        if (response.body() == null || response.body().isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new ManagementApiException(status, path + " answered with something that is not JSON: " + abbreviate(response.body()));
        }
    }

    /** EDC answers errors as a list of {message, type, path}: keep the messages. */
    private String errorText(String body) {
        try {
            var node = mapper.readTree(body);
            var messages = new java.util.ArrayList<String>();
            (node.isArray() ? node : mapper.createArrayNode().add(node)).forEach(e -> {
                if (e.hasNonNull("message")) {
                    messages.add(e.get("message").asText());
                }
                e.path("problems").forEach(problem -> messages.add(problem.asText()));
            });
            return messages.isEmpty() ? abbreviate(body) : String.join("; ", messages);
        } catch (IOException | RuntimeException e) {
            return abbreviate(body);
        }
    }

    private List<String> problems(String body) {
        try {
            var problems = new java.util.ArrayList<String>();
            mapper.readTree(body).path("problems").forEach(p -> problems.add(p.asText()));
            return problems;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        var oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagementApiException("interrupted", e);
        }
    }
}
