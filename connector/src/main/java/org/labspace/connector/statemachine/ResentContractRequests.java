package org.labspace.connector.statemachine;

import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreementMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreementVerificationMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractNegotiationEventMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationRequestMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationTerminationMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractOfferMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractRequestMessage;
import org.eclipse.edc.connector.controlplane.services.spi.contractnegotiation.ContractNegotiationProtocolService;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.ServiceResult;
import org.jetbrains.annotations.NotNull;

import java.util.Comparator;
import java.util.Objects;

import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation.Type.PROVIDER;

/**
 * Answers a consumer's contract request that arrives again with the negotiation the first copy made, instead of
 * making a second one.
 * <p>
 * A consumer that did not get our answer to its request (it crashed, or the connection broke) sends the same request
 * again when it recovers: same consumerPid, still no providerPid. EDC 0.15.1 makes a new provider negotiation for
 * every copy, each of which goes on to an agreement; the consumer follows only the providerPid of the answer it
 * gets, so one of them is left waiting in AGREED for a verification that never comes, or both end in an agreement
 * (the consumer crash test saw both). The consumer's process id is its own, so a copy is recognised by consumerPid
 * and callback address within this participant context, and answered as DSP answers a request (the negotiation's
 * providerPid, consumerPid and state) once EDC has verified that the caller is that negotiation's counter-party.
 * The negotiation itself carries on untouched: EDC keeps resending its agreement, with backoff, until the consumer
 * has recorded our answer and takes it.
 */
public final class ResentContractRequests implements ContractNegotiationProtocolService {

    // checking for an earlier copy and making the negotiation must not interleave for one consumerPid: two copies at
    // once would both find none. Striped, so that memory stays bounded; unrelated requests rarely share a stripe
    private static final int STRIPES = 64;

    private final ContractNegotiationProtocolService edc;
    private final ContractNegotiationStore negotiations;
    private final Monitor monitor;
    private final Object[] stripes = new Object[STRIPES];

    public ResentContractRequests(ContractNegotiationProtocolService edc, ContractNegotiationStore negotiations, Monitor monitor) {
        this.edc = edc;
        this.negotiations = negotiations;
        this.monitor = monitor;
        for (var i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyRequested(ParticipantContext participantContext, ContractRequestMessage message, TokenRepresentation token) {
        // a counter-offer names our negotiation itself (providerPid); only an initial request can come twice unrecognised
        if (message.getProviderPid() != null || message.getConsumerPid() == null || message.getCallbackAddress() == null) {
            return edc.notifyRequested(participantContext, message, token);
        }
        synchronized (stripes[Math.floorMod(message.getConsumerPid().hashCode(), STRIPES)]) {
            var earlier = earlierCopy(participantContext, message);
            return earlier == null ? edc.notifyRequested(participantContext, message, token) : answerAgain(participantContext, message, token, earlier);
        }
    }

    /** The provider negotiation an earlier copy of this request made, or null for a new request. */
    private ContractNegotiation earlierCopy(ParticipantContext participantContext, ContractRequestMessage message) {
        var query = QuerySpec.Builder.newInstance().filter(Criterion.criterion("correlationId", "=", message.getConsumerPid())).build();
        try (var found = negotiations.queryNegotiations(query)) {
            return found.filter(n -> n.getType() == PROVIDER)
                    .filter(n -> participantContext.getParticipantContextId().equals(n.getParticipantContextId()))
                    .filter(n -> Objects.equals(message.getCallbackAddress(), n.getCounterPartyAddress()))
                    .min(Comparator.comparingLong(ContractNegotiation::getCreatedAt))
                    .orElse(null);
        }
    }

    private ServiceResult<ContractNegotiation> answerAgain(ParticipantContext participantContext, ContractRequestMessage message, TokenRepresentation token, ContractNegotiation earlier) {
        // EDC's own look-up for a peer verifies the token and that the caller is the negotiation's counter-party, so
        // another participant that presents the same consumerPid and callback address learns nothing of it
        var lookUp = ContractNegotiationRequestMessage.Builder.newInstance()
                .negotiationId(earlier.getId())
                .protocol(message.getProtocol())
                .counterPartyAddress(message.getCallbackAddress())
                .build();
        var found = edc.findById(participantContext, lookUp, token);
        if (found.failed()) {
            if (found.reason() != ServiceFailure.Reason.UNAUTHORIZED) {
                monitor.warning("Refused a contract request that reuses the consumerPid and callback address of another participant's negotiation: "
                        + found.getFailureDetail());
            }
            return found;
        }
        var negotiation = found.getContent();
        var state = ContractNegotiationStates.from(negotiation.getState());
        if (ContractNegotiationStates.isFinal(negotiation.getState())) {
            // answering as if it were open would leave the consumer waiting in REQUESTED: a refusal ends its copy too
            return ServiceResult.conflict("The contract negotiation of consumerPid %s has already ended (%s); request again with a new consumerPid"
                    .formatted(message.getConsumerPid(), state));
        }
        monitor.info("Contract request of consumerPid %s from %s came again: answered with its negotiation %s (%s)"
                .formatted(message.getConsumerPid(), negotiation.getCounterPartyId(), negotiation.getId(), state));
        return ServiceResult.success(negotiation);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyOffered(ParticipantContext participantContext, ContractOfferMessage message, TokenRepresentation token) {
        return edc.notifyOffered(participantContext, message, token);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyAccepted(ParticipantContext participantContext, ContractNegotiationEventMessage message, TokenRepresentation token) {
        return edc.notifyAccepted(participantContext, message, token);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyAgreed(ParticipantContext participantContext, ContractAgreementMessage message, TokenRepresentation token) {
        return edc.notifyAgreed(participantContext, message, token);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyVerified(ParticipantContext participantContext, ContractAgreementVerificationMessage message, TokenRepresentation token) {
        return edc.notifyVerified(participantContext, message, token);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyFinalized(ParticipantContext participantContext, ContractNegotiationEventMessage message, TokenRepresentation token) {
        return edc.notifyFinalized(participantContext, message, token);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyTerminated(ParticipantContext participantContext, ContractNegotiationTerminationMessage message, TokenRepresentation token) {
        return edc.notifyTerminated(participantContext, message, token);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> findById(ParticipantContext participantContext, ContractNegotiationRequestMessage message, TokenRepresentation token) {
        return edc.findById(participantContext, message, token);
    }
}
