package org.labspace.connector.research;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.labspace.connector.audit.AuditEvent;
import org.labspace.connector.audit.AuditLog;
import org.labspace.connector.client.ManagementApiException;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.policy.EdcPolicies;
import org.labspace.connector.trust.NetworkRegistry;
import org.labspace.dataplane.client.ArrowStreamClient;
import org.labspace.dataplane.client.StreamClientException;
import org.labspace.policy.AccessFacts;
import org.labspace.policy.AgreementTerms;
import org.labspace.policy.Condition;
import org.labspace.policy.ConstraintCheck;
import org.labspace.policy.Operand;
import org.labspace.policy.Participant;
import org.labspace.policy.Purpose;
import org.labspace.policy.SourceRef;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A researcher's access to a dataset of another lab: an agreement for the dataset and purpose (a valid one is
 * reused, else one is negotiated), then an {@code ArrowStream-PULL} transfer, answered with the endpoint data
 * reference. The negotiation and transfer go through this lab's own Management API, as any client would.
 * <p>
 * A new transfer costs a Dataspace Protocol round trip to the provider and back (a few hundred milliseconds). A
 * researcher who reads the same dataset again for the same purpose, as notebooks do, gets the transfer they opened
 * last instead, while its token is younger than {@code transferReuse}; never under an agreement that caps its
 * transfers, where every read must count.
 */
public final class AccessService {

    /** A refusal the research API answers with a status and a named error the client library maps to an exception. */
    public static final class AccessException extends RuntimeException {
        final int status;
        final String error;
        final List<String> constraints;

        AccessException(int status, String error, String message, List<String> constraints) {
            super(message);
            this.status = status;
            this.error = error;
            this.constraints = List.copyOf(constraints);
        }
    }

    private final String labId;
    private final ManagementClient management;
    private final ContractNegotiationStore negotiations;
    private final Supplier<NetworkRegistry> registry;
    private final AuditLog audit;
    private final Clock clock;
    private final TransferProcessStore transfers;
    private final Duration transferReuse;
    // the provider's answer to the last dataset request (the offers), which a notebook makes just before reading
    // (lab.dataset(), then ds.to_arrow()): access negotiates from it and asks again only if it is refused
    private static final Duration OFFER_MEMORY = Duration.ofMinutes(5);
    private final Map<String, RecentDataset> recentDatasets = new java.util.concurrent.ConcurrentHashMap<>();
    // the transfer each researcher opened last under each agreement; after a restart the next read opens a new one
    private final Map<String, OpenTransfer> lastTransfers = new java.util.concurrent.ConcurrentHashMap<>();
    // agreements under which the provider refused a transfer (revoked, or ended on its side), read once from the
    // audit log and kept up to date by this service: the next access negotiates a new agreement instead
    private final Map<String, Boolean> refusedAgreements = new java.util.concurrent.ConcurrentHashMap<>();
    private final ProcessSignals signals;

    /** @param signals the changes EDC reports of this lab's negotiations and transfers (registered with its event router) */
    AccessService(String labId, ManagementClient management, ContractNegotiationStore negotiations, Supplier<NetworkRegistry> registry,
                  AuditLog audit, Clock clock, TransferProcessStore transfers, Duration transferReuse, ProcessSignals signals) {
        this.signals = signals;
        this.transfers = transfers;
        this.transferReuse = transferReuse;
        this.labId = labId;
        this.management = management;
        this.negotiations = negotiations;
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * @param dataset     {@code lab/id}
     * @param newTransfer true to start a new transfer even when one could be reused (its token was refused)
     */
    public Map<String, Object> access(String researcher, String dataset, String purpose, boolean newTransfer) {
        var started = System.nanoTime();
        var slash = dataset == null ? -1 : dataset.indexOf('/');
        if (slash <= 0 || slash == dataset.length() - 1) {
            throw new AccessException(400, "BadRequest", "'dataset' must be LAB/ID, e.g. lab-madrid/air-quality; got '" + dataset + "'", List.of());
        }
        if (purpose == null || !Purpose.isKnown(purpose)) {
            throw new AccessException(400, "BadRequest", "'purpose' must be one of " + String.join(", ", Purpose.ALL) + "; got '" + purpose + "'", List.of());
        }
        var lab = dataset.substring(0, slash);
        var id = dataset.substring(slash + 1);
        var member = registry.get().member(lab);
        if (member == null || !member.isActive()) {
            throw new AccessException(404, "DatasetNotFound", "'" + lab + "' is not an active member of the network", List.of());
        }
        var agreement = validAgreement(lab, id, purpose);
        var reused = agreement != null;
        if (agreement == null) {
            agreement = negotiate(researcher, member.dspEndpoint(), lab, id, purpose);
        }
        var open = reused && !newTransfer ? openTransfer(researcher, agreement) : null;
        var transfer = open != null ? open.path("transferProcessId").asText()
                : management.startTransfer(member.dspEndpoint(), agreement.id(), ManagementClient.ARROW_PULL);
        JsonNode endpoint;
        try {
            endpoint = open != null ? open : awaitTransferEndpoint(transfer, Duration.ofSeconds(60));
        } catch (ManagementApiException e) {
            audit.record(new AuditEvent(clock.instant(), "access", "refused", lab, researcher, id, agreement.id(), transfer, "transfer refused: " + e.getMessage()));
            refusedAgreements.put(agreement.id(), true);
            // a reused agreement that the provider no longer honours was revoked (or has expired there): the researcher
            // is told, not served under a new agreement behind their back; their next access asks the provider anew
            throw new AccessException(403, reused ? "AgreementExpired" : "AccessDenied",
                    lab + " refused a transfer" + (reused ? " under agreement " + agreement.id() + " (revoked or expired there)" : "") + ": "
                            + providerReason(e.getMessage())
                            + (reused ? "; the next access asks " + lab + " for a new agreement under its current policy" : ""), List.of());
        }
        var key = researcher + "\n" + agreement.id();
        var known = lastTransfers.get(key);
        var schema = known != null && known.id().equals(transfer) ? known.schema() : streamSchema(endpoint);
        var millis = (System.nanoTime() - started) / 1_000_000;
        lastTransfers.put(key, new OpenTransfer(transfer, schema));
        audit.record(new AuditEvent(clock.instant(), "access", "granted", lab, researcher, id, agreement.id(), transfer,
                (reused ? "agreement reused" : "agreement negotiated") + (open != null ? ", transfer reused" : "") + " for " + purpose + " in " + millis + " ms"));
        var answer = new LinkedHashMap<String, Object>();
        answer.put("dataset", dataset);
        answer.put("purpose", purpose);
        answer.put("agreementId", agreement.id());
        answer.put("agreementReused", reused);
        answer.put("agreementExpires", agreement.terms().expiresAt() == null ? null : agreement.terms().expiresAt().toString());
        answer.put("transferId", transfer);
        answer.put("transferReused", open != null);
        answer.put("endpoint", endpoint.path("endpoint").asText());
        answer.put("token", endpoint.path("token").asText());
        answer.put("schema", schema);
        answer.put("restrictions", agreement.terms().restrictions());
        answer.put("duties", agreement.terms().duties());
        answer.put("millis", millis);
        return answer;
    }

    private record Agreement(String id, AgreementTerms terms, long signed) {
    }

    private record RecentDataset(JsonNode dataset, Instant at) {
    }

    private record OpenTransfer(String id, JsonNode schema) {
    }

    /**
     * The researcher's newest transfer under the agreement, if it is still running and its token young enough to reuse:
     * its endpoint reference, else null.
     */
    private JsonNode openTransfer(String researcher, Agreement agreement) {
        if (transferReuse.isZero() || agreement.terms().maxTransfers() != null) {
            return null;
        }
        var last = lastTransfers.get(researcher + "\n" + agreement.id());
        var transfer = last == null ? null : transfers.findById(last.id());
        if (transfer == null || transfer.getState() != TransferProcessStates.STARTED.code()) {
            return null;
        }
        try {
            var endpoint = management.transferEndpoint(transfer.getId());
            var issued = issuedAt(endpoint.path("token").asText());
            return issued != null && issued.plus(transferReuse).isAfter(clock.instant()) ? endpoint : null;
        } catch (ManagementApiException e) {
            return null; // no endpoint (any more): start a new transfer
        }
    }

    /** The agreements and transfers this researcher obtained through the research API, newest first. */
    public Map<String, Object> mine(String researcher) {
        var lines = audit.query(new org.labspace.connector.audit.AuditQuery(null, null, "access", "granted", null, null, null, researcher,
                org.labspace.connector.audit.AuditQuery.MAX_LIMIT));
        var agreements = new LinkedHashMap<String, Map<String, Object>>();
        var mine = new ArrayList<Map<String, Object>>();
        var seen = new java.util.HashSet<String>();
        var now = clock.instant();
        for (var i = lines.size() - 1; i >= 0; i--) {
            var line = lines.get(i);
            if (line.agreement() != null && !agreements.containsKey(line.agreement())) {
                var agreement = negotiations.findContractAgreement(line.agreement());
                if (agreement != null) {
                    var terms = AgreementTerms.of(EdcPolicies.fromEdc(agreement.getPolicy()), Instant.ofEpochSecond(agreement.getContractSigningDate()));
                    var view = new LinkedHashMap<String, Object>();
                    view.put("agreementId", agreement.getId());
                    view.put("dataset", agreement.getProviderId() + "/" + agreement.getAssetId());
                    view.put("purpose", terms.purpose());
                    view.put("signed", Instant.ofEpochSecond(agreement.getContractSigningDate()).toString());
                    view.put("expires", terms.expiresAt() == null ? null : terms.expiresAt().toString());
                    view.put("state", terms.expiredAt(now) == null ? "active" : "expired");
                    view.put("restrictions", terms.restrictions());
                    view.put("duties", terms.duties());
                    agreements.put(line.agreement(), view);
                }
            }
            if (line.transfer() != null && seen.add(line.transfer())) { // a reused transfer is listed once
                var transfer = transfers.findById(line.transfer());
                var view = new LinkedHashMap<String, Object>();
                view.put("transferId", line.transfer());
                view.put("dataset", line.participant() + "/" + line.dataset());
                view.put("agreementId", line.agreement());
                view.put("started", line.at().toString());
                view.put("state", transfer == null ? "unknown"
                        : String.valueOf(org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.from(transfer.getState())));
                mine.add(view);
            }
        }
        var answer = new LinkedHashMap<String, Object>();
        answer.put("agreements", new ArrayList<>(agreements.values()));
        answer.put("transfers", mine);
        return answer;
    }

    /**
     * A dataset as its provider offers it to this lab now: each offer's purpose, conditions, data restrictions and
     * duties in plain words.
     */
    public List<Map<String, Object>> offers(String lab, String id) {
        var member = registry.get().member(lab);
        if (member == null || !member.isActive()) {
            throw new AccessException(404, "DatasetNotFound", "'" + lab + "' is not an active member of the network", List.of());
        }
        var dataset = requestDataset(member.dspEndpoint(), lab, id);
        var out = new ArrayList<Map<String, Object>>();
        var offers = dataset.path("hasPolicy");
        for (var offer : offers.isArray() ? offers : List.of(offers)) {
            var conditions = new ArrayList<String>();
            var restrictions = new ArrayList<String>();
            var duties = new ArrayList<String>();
            String purpose = null;
            for (var constraint : OfferConstraints.of(offer)) {
                var operand = Operand.of(constraint.leftOperand());
                if (operand.isEmpty()) {
                    conditions.add("a condition this lab cannot read: " + constraint.leftOperand());
                    continue;
                }
                var values = constraint.values();
                if (operand.get().kind() == Operand.Kind.COLUMNS || operand.get().kind() == Operand.Kind.MASKS) {
                    values = values.stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim).filter(v -> !v.isEmpty()).toList();
                }
                var condition = new Condition(operand.get(), constraint.operator(), values, SourceRef.NONE);
                if (operand.get() == Operand.PURPOSE) {
                    purpose = condition.value();
                } else if (operand.get().isRestriction()) {
                    restrictions.add(org.labspace.policy.PlainLanguage.restriction(condition));
                } else if (operand.get().isDuty()) {
                    duties.add(ConstraintCheck.evaluate(condition, new AccessFacts(null, null, clock.instant(), null, null)).reason());
                } else if (operand.get().isParticipantFact()) {
                    conditions.add(org.labspace.policy.PlainLanguage.condition(condition));
                } else {
                    conditions.add(ConstraintCheck.evaluate(condition, new AccessFacts(null, null, clock.instant(), null, null)).reason());
                }
            }
            var view = new LinkedHashMap<String, Object>();
            view.put("purpose", purpose);
            view.put("conditions", conditions);
            view.put("restrictions", restrictions);
            view.put("duties", duties);
            out.add(view);
        }
        return out;
    }

    /** An agreement this lab holds with the provider for the dataset and purpose, still in force. */
    private Agreement validAgreement(String lab, String id, String purpose) {
        var now = clock.instant();
        try (var agreements = negotiations.queryAgreements(QuerySpec.Builder.newInstance()
                .filter(new Criterion("providerId", "=", lab))
                .filter(new Criterion("consumerId", "=", labId))
                .filter(new Criterion("assetId", "=", id))
                .limit(1000).build())) {
            // the newest one: its terms are those of the provider's current policy
            return agreements.map(a -> new Agreement(a.getId(), AgreementTerms.of(EdcPolicies.fromEdc(a.getPolicy()), Instant.ofEpochSecond(a.getContractSigningDate())),
                            a.getContractSigningDate()))
                    .filter(a -> purpose.equals(a.terms().purpose()) && a.terms().expiredAt(now) == null)
                    .max(java.util.Comparator.comparingLong(Agreement::signed))
                    .filter(a -> !refusedByProvider(a.id()))
                    .orElse(null);
        }
    }

    /** Whether the provider refused a transfer under the agreement, by this process or an earlier run (audit log). */
    private boolean refusedByProvider(String agreementId) {
        return refusedAgreements.computeIfAbsent(agreementId, id -> !audit.query(new org.labspace.connector.audit.AuditQuery(null, null, "access", "refused",
                null, null, id, null, 1)).isEmpty());
    }

    private Agreement negotiate(String researcher, String dspEndpoint, String lab, String id, String purpose) {
        var key = lab + "/" + id;
        var remembered = recentDatasets.get(key);
        // a remembered offer whose conditions this lab does not meet would only be refused: ask for the current ones
        if (remembered != null && remembered.at().plus(OFFER_MEMORY).isAfter(clock.instant()) && meetsConditions(remembered.dataset(), purpose)) {
            try {
                return negotiate(researcher, dspEndpoint, lab, id, purpose, remembered.dataset(), false);
            } catch (AccessException e) {
                recentDatasets.remove(key); // the provider's offers may have changed since: ask it again
            }
        }
        return negotiate(researcher, dspEndpoint, lab, id, purpose, requestDataset(dspEndpoint, lab, id), true);
    }

    private JsonNode requestDataset(String dspEndpoint, String lab, String id) {
        try {
            var dataset = management.requestDataset(dspEndpoint, lab, id);
            recentDatasets.put(lab + "/" + id, new RecentDataset(dataset, clock.instant()));
            return dataset;
        } catch (ManagementApiException e) {
            if (e.status() == 0 || e.status() >= 500 && !e.getMessage().contains("404")) {
                throw new AccessException(502, "LabUnreachable", lab + " did not answer the catalog request: " + e.getMessage(), List.of());
            }
            throw new AccessException(404, "DatasetNotFound", lab + " offers no dataset '" + id + "' to this lab: " + e.getMessage(), List.of());
        }
    }

    /** @param audited whether a refusal is final and goes into the audit log (not when a remembered offer is tried) */
    private Agreement negotiate(String researcher, String dspEndpoint, String lab, String id, String purpose, JsonNode dataset, boolean audited) {
        var offer = ManagementClient.offerFor(dataset, purpose);
        if (offer == null) {
            var offered = new ArrayList<String>();
            for (var p : Purpose.ALL) {
                if (ManagementClient.offerFor(dataset, p) != null) {
                    offered.add(p);
                }
            }
            throw new AccessException(403, "AccessDenied", lab + " offers " + id + " for no purpose " + purpose
                    + (offered.isEmpty() ? "" : "; it is offered for " + String.join(", ", offered)), List.of("purpose: " + purpose + " is not offered"));
        }
        var negotiation = awaitNegotiation(management.negotiateOffer(dspEndpoint, lab, id, offer), Duration.ofSeconds(60));
        if (!"FINALIZED".equals(negotiation.path("state").asText())) {
            var failing = failing(offer);
            var detail = negotiation.path("errorDetail").asText("");
            if (audited) {
                audit.record(new AuditEvent(clock.instant(), "access", "refused", lab, researcher, id, null, null,
                        "negotiation for " + purpose + " refused" + (failing.isEmpty() ? "" : ": " + String.join("; ", failing))));
            }
            throw new AccessException(403, "AccessDenied", lab + " refused an agreement for " + id + " for " + purpose
                    + (failing.isEmpty() ? (detail.isEmpty() ? "" : ": " + detail) : ": " + String.join("; ", failing)), failing);
        }
        var agreement = negotiations.findContractAgreement(negotiation.path("contractAgreementId").asText());
        return new Agreement(agreement.getId(), AgreementTerms.of(EdcPolicies.fromEdc(agreement.getPolicy()),
                Instant.ofEpochSecond(agreement.getContractSigningDate())), agreement.getContractSigningDate());
    }

    /** The negotiation once FINALIZED or TERMINATED, as the Management API shows it. */
    private JsonNode awaitNegotiation(String id, Duration within) {
        return await(id, within, () -> {
            var negotiation = management.getNegotiation(id);
            var state = negotiation.path("state").asText();
            return "FINALIZED".equals(state) || "TERMINATED".equals(state) ? negotiation : null;
        }, () -> new ManagementApiException(0, "negotiation " + id + " still " + management.getNegotiation(id).path("state").asText()
                + " after " + within.toSeconds() + " s"));
    }

    /** A started transfer's endpoint and token; they arrive from the provider shortly after the transfer starts. */
    private JsonNode awaitTransferEndpoint(String id, Duration within) {
        return await(id, within, () -> {
            try {
                return management.transferEndpoint(id);
            } catch (ManagementApiException e) {
                var transfer = management.getTransfer(id);
                var state = transfer.path("state").asText();
                if (e.status() != 409 || state.equals("TERMINATED") || state.equals("COMPLETED")) {
                    throw new ManagementApiException(e.status(), "transfer " + id + " is " + state + " and has no endpoint: "
                            + transfer.path("errorDetail").asText(e.getMessage()));
                }
                return null;
            }
        }, () -> new ManagementApiException(0, "transfer " + id + " still " + management.getTransfer(id).path("state").asText()
                + " without an endpoint after " + within.toSeconds() + " s"));
    }

    /**
     * Looks at a process through the Management API until {@code look} answers: again at once after each change EDC
     * reports of it (then shortly after, as the endpoint is stored just after the transfer starts), else after a
     * pause that grows to two seconds, in case a change went unreported. Each look takes a database connection of
     * this lab (EDC's pool holds 8 by default), which the state machines need to move the process on.
     */
    private JsonNode await(String id, Duration within, Supplier<JsonNode> look, Supplier<ManagementApiException> late) {
        signals.watch(id);
        try {
            var deadline = System.nanoTime() + within.toNanos();
            var pause = 10L;
            while (true) {
                var seen = signals.changes(id);
                var found = look.get();
                if (found != null) {
                    return found;
                }
                if (System.nanoTime() > deadline) {
                    throw late.get();
                }
                pause = signals.awaitChange(id, seen, pause) ? 10 : Math.min(pause * 2, 2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagementApiException(0, "interrupted while waiting for " + id);
        } finally {
            signals.forget(id);
        }
    }

    /**
     * The columns the stream will carry, after the agreement's restrictions, as the provider's data plane states them;
     * null when it does not answer in time (the stream itself still says).
     */
    private static JsonNode streamSchema(JsonNode endpoint) {
        try {
            return new ArrowStreamClient(java.net.URI.create(endpoint.path("endpoint").asText()), endpoint.path("token").asText(),
                    Duration.ofSeconds(10), 0).schema();
        } catch (StreamClientException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A data token's issue time, read without verifying it: the consumer only judges whether the token is young
     * enough to reuse; the provider verifies it on every stream. Null when it is not a JWT with an issue time.
     */
    private static Instant issuedAt(String token) {
        try {
            var issued = com.nimbusds.jwt.JWTParser.parse(token).getJWTClaimsSet().getIssueTime();
            return issued == null ? null : issued.toInstant();
        } catch (java.text.ParseException e) {
            return null;
        }
    }

    private boolean meetsConditions(JsonNode dataset, String purpose) {
        var offer = ManagementClient.offerFor(dataset, purpose);
        return offer != null && failing(offer).isEmpty();
    }

    /**
     * The provider's own words from a refused transfer (the reason of a DSP TransferError), else the whole message.
     */
    static String providerReason(String message) {
        var start = message == null ? -1 : message.indexOf('{');
        if (start >= 0) {
            try {
                var reason = new com.fasterxml.jackson.databind.ObjectMapper().readTree(message.substring(start)).path("reason");
                var text = reason.isArray() && !reason.isEmpty() ? reason.get(0).asText() : reason.asText("");
                if (!text.isBlank()) {
                    return text;
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException ignored) {
                // not JSON after all: the message as it is
            }
        }
        return message;
    }

    /** The offer's conditions this lab does not meet, by the registry's facts about it, in plain words. */
    private List<String> failing(JsonNode offer) {
        var self = registry.get().member(labId);
        var me = self == null ? null : new Participant(self.participantId(), self.country(), self.organizationType(), self.accreditations(), self.isActive());
        var out = new ArrayList<String>();
        for (var constraint : OfferConstraints.of(offer)) {
            var operand = Operand.of(constraint.leftOperand());
            if (operand.isEmpty() || !operand.get().isParticipantFact() && operand.get() != Operand.VALID_UNTIL) {
                continue;
            }
            var verdict = ConstraintCheck.evaluate(new Condition(operand.get(), constraint.operator(), constraint.values(), SourceRef.NONE),
                    new AccessFacts(me, null, clock.instant(), null, null));
            if (!verdict.passed()) {
                out.add(operand.get().term() + ": " + verdict.reason());
            }
        }
        return out;
    }
}
