package org.labspace.connector.agreement;

import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessService;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.command.TerminateTransferCommand;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.labspace.connector.audit.AuditEvent;
import org.labspace.connector.audit.AuditLog;
import org.labspace.connector.policy.EdcPolicies;
import org.labspace.policy.AgreementTerms;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The provider's view of its agreements (who holds them, for which purpose and dataset, under which terms, how many
 * transfers so far) and their revocation: new transfers are refused at once, running ones are terminated, and their
 * streams stop at their next check of the agreement (every 2 seconds).
 */
public final class AgreementService {

    private static final int PAGE = 500;

    private final String labId;
    private final ContractNegotiationStore negotiations;
    private final TransferProcessStore transferStore;
    private final TransferProcessService transfers;
    private final Revocations revocations;
    private final AuditLog audit;
    private final Clock clock;

    public AgreementService(String labId, ContractNegotiationStore negotiations, TransferProcessStore transferStore, TransferProcessService transfers,
                            Revocations revocations, AuditLog audit, Clock clock) {
        this.labId = labId;
        this.negotiations = negotiations;
        this.transferStore = transferStore;
        this.transfers = transfers;
        this.revocations = revocations;
        this.audit = audit;
        this.clock = clock;
    }

    /** An agreement with its terms read from its own policy. */
    public record AgreementView(String id, String dataset, String provider, String consumer, Instant signed, AgreementTerms terms,
                                long transfers, Revocations.Revocation revocation, String state) {
    }

    /** The agreements this lab granted as provider, optionally of one dataset or consumer, newest first. */
    public List<AgreementView> listGranted(String dataset, String consumer) {
        var out = new ArrayList<AgreementView>();
        var query = QuerySpec.Builder.newInstance().filter(new Criterion("providerId", "=", labId));
        if (dataset != null) {
            query.filter(new Criterion("assetId", "=", dataset));
        }
        if (consumer != null) {
            query.filter(new Criterion("consumerId", "=", consumer));
        }
        for (var offset = 0; ; offset += PAGE) {
            var page = negotiations.queryAgreements(query.offset(offset).limit(PAGE).build()).toList();
            page.forEach(a -> out.add(view(a)));
            if (page.size() < PAGE) {
                break;
            }
        }
        out.sort((a, b) -> b.signed().compareTo(a.signed()));
        return out;
    }

    public AgreementView get(String id) {
        return view(find(id));
    }

    /** Revokes an agreement this lab granted; returns it as revoked. Revoking twice keeps the first revocation. */
    public AgreementView revoke(String id, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new AgreementRequestException(400, "a reason is required: it is recorded and shown to the consumer's refused requests");
        }
        var agreement = find(id);
        if (!labId.equals(agreement.getProviderId())) {
            throw new AgreementRequestException(409, "agreement " + id + " was granted by " + agreement.getProviderId() + ", not by this lab: only its provider can revoke it");
        }
        var already = revocations.find(agreement.getId()).isPresent();
        var revocation = revocations.revoke(agreement.getId(), reason.strip(), clock.instant());
        if (!already) {
            audit.record(AuditEvent.of(revocation.at(), "revocation", "revoked", agreement.getConsumerId(), agreement.getAssetId(), agreement.getId(), null,
                    "revoked: " + revocation.reason()));
        }
        for (var transfer : running(agreement.getId())) {
            var result = transfers.terminate(new TerminateTransferCommand(transfer, "agreement revoked: " + revocation.reason()));
            if (result.failed()) {
                // the stream checks see the revocation anyway; the transfer ends when EDC can end it
                audit.record(AuditEvent.of(clock.instant(), "revocation", "revoked", agreement.getConsumerId(), agreement.getAssetId(), agreement.getId(),
                        transfer, "transfer could not be terminated yet: " + result.getFailureDetail()));
            }
        }
        return view(agreement);
    }

    private ContractAgreement find(String id) {
        var agreement = negotiations.findContractAgreement(id);
        if (agreement == null) {
            // the id the other lab knows the agreement by
            agreement = negotiations.queryAgreements(QuerySpec.Builder.newInstance().filter(new Criterion("agreementId", "=", id)).limit(1).build())
                    .findFirst().orElse(null);
        }
        if (agreement == null) {
            throw new AgreementRequestException(404, "no agreement '" + id + "' at this lab");
        }
        return agreement;
    }

    private List<String> running(String agreementId) {
        try (var found = transferStore.findAll(QuerySpec.Builder.newInstance().filter(new Criterion("contractId", "=", agreementId)).limit(10_000).build())) {
            return found.filter(t -> t.getState() < TransferProcessStates.COMPLETING.code()).map(t -> t.getId()).toList();
        }
    }

    /** Transfers made under an agreement (the provider's local agreement id), whatever their state. */
    public static long transfersUnder(TransferProcessStore store, String agreementId) {
        try (var found = store.findAll(QuerySpec.Builder.newInstance().filter(new Criterion("contractId", "=", agreementId)).limit(100_000).build())) {
            return found.count();
        }
    }

    private AgreementView view(ContractAgreement agreement) {
        var signed = Instant.ofEpochSecond(agreement.getContractSigningDate());
        var terms = AgreementTerms.of(EdcPolicies.fromEdc(agreement.getPolicy()), signed);
        var revocation = revocations.find(agreement.getId()).orElse(null);
        var state = revocation != null ? "revoked" : terms.expiredAt(clock.instant()) != null ? "expired" : "active";
        return new AgreementView(agreement.getId(), agreement.getAssetId(), agreement.getProviderId(), agreement.getConsumerId(), signed, terms,
                transfersUnder(transferStore, agreement.getId()), revocation, state);
    }
}
