package org.labspace.connector.audit;

import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationEvent;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationFinalized;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationTerminated;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessEvent;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessStarted;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessTerminated;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.spi.event.Event;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.event.EventSubscriber;
import org.labspace.connector.policy.EdcPolicies;
import org.labspace.policy.AgreementTerms;

import java.time.Instant;

/**
 * Agreements granted or refused, and transfers started or ended, from EDC's events: on the provider, who got what
 * for which purpose; on the consumer, what this lab pulled under which agreement.
 */
public final class NegotiationAndTransferAudit implements EventSubscriber {

    private final AuditLog audit;
    private final ContractNegotiationStore negotiations;
    private final TransferProcessStore transfers;

    public NegotiationAndTransferAudit(AuditLog audit, ContractNegotiationStore negotiations, TransferProcessStore transfers) {
        this.audit = audit;
        this.negotiations = negotiations;
        this.transfers = transfers;
    }

    @Override
    public <E extends Event> void on(EventEnvelope<E> envelope) {
        var at = Instant.ofEpochMilli(envelope.getAt());
        var event = envelope.getPayload();
        if (event instanceof ContractNegotiationEvent negotiationEvent) {
            negotiation(at, negotiationEvent);
        } else if (event instanceof TransferProcessEvent transferEvent) {
            transfer(at, transferEvent);
        }
    }

    private void negotiation(Instant at, ContractNegotiationEvent event) {
        var negotiation = negotiations.findById(event.getContractNegotiationId());
        var provider = negotiation == null || negotiation.getType() == ContractNegotiation.Type.PROVIDER;
        var offer = event.getLastContractOffer();
        var dataset = offer == null ? null : offer.getAssetId();
        if (event instanceof ContractNegotiationFinalized finalized) {
            var agreement = finalized.getContractAgreement();
            var terms = AgreementTerms.of(EdcPolicies.fromEdc(agreement.getPolicy()), Instant.ofEpochSecond(agreement.getContractSigningDate()));
            audit.record(AuditEvent.of(at, "negotiation", "granted", event.getCounterPartyId(), agreement.getAssetId(), agreement.getId(), null,
                    (provider ? "agreement granted" : "agreement received") + (terms.purpose() == null ? "" : " for " + terms.purpose())
                            + (terms.expiresAt() == null ? "" : ", until " + terms.expiresAt())));
        } else if (event instanceof ContractNegotiationTerminated) {
            var reason = negotiation == null ? null : negotiation.getErrorDetail();
            audit.record(AuditEvent.of(at, "negotiation", "refused", event.getCounterPartyId(), dataset, null, null,
                    (provider ? "negotiation ended without agreement" : "the provider refused") + (reason == null ? "" : ": " + reason)));
        }
    }

    private void transfer(Instant at, TransferProcessEvent event) {
        var process = transfers.findById(event.getTransferProcessId());
        var provider = process == null || process.getType() == TransferProcess.Type.PROVIDER;
        if (event instanceof TransferProcessStarted) {
            audit.record(AuditEvent.of(at, provider ? "transfer" : "pull", "started", process == null ? null : counterParty(process),
                    event.getAssetId(), event.getContractId(), event.getTransferProcessId(), "transfer " + event.getType() + " started"));
        } else if (event instanceof TransferProcessTerminated) {
            var reason = process == null ? null : process.getErrorDetail();
            audit.record(AuditEvent.of(at, provider ? "transfer" : "pull", "ended", process == null ? null : counterParty(process),
                    event.getAssetId(), event.getContractId(), event.getTransferProcessId(), "transfer terminated" + (reason == null ? "" : ": " + reason)));
        }
    }

    private String counterParty(TransferProcess process) {
        var agreement = negotiations.findContractAgreement(process.getContractId());
        if (agreement == null) {
            return null;
        }
        return process.getType() == TransferProcess.Type.PROVIDER ? agreement.getConsumerId() : agreement.getProviderId();
    }
}
