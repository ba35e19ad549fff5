package org.labspace.connector.statemachine;

import org.eclipse.edc.connector.controlplane.contract.observe.ContractNegotiationObservableImpl;
import org.eclipse.edc.connector.controlplane.contract.spi.ContractOfferId;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractRequestMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractDefinition;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractOffer;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ContractValidationService;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ValidatableConsumerOffer;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ValidatedConsumerOffer;
import org.eclipse.edc.connector.controlplane.defaults.storage.contractnegotiation.InMemoryContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.services.contractnegotiation.ContractNegotiationProtocolServiceImpl;
import org.eclipse.edc.connector.controlplane.services.spi.contractnegotiation.ContractNegotiationProtocolService;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.telemetry.Telemetry;
import org.eclipse.edc.transaction.spi.NoopTransactionContext;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer's contract request that comes again, against EDC's own protocol service and an in-memory store. The
 * caller's identity is its token here; EDC checks that it is the negotiation's counter-party.
 */
class ResentContractRequestsTest {

    private static final String LISBON = "http://lisbon.example:19194/protocol/2025-1";
    private static final String PORTO = "http://porto.example:19194/protocol/2025-1";
    private static final ContractOfferId OFFER = ContractOfferId.create("readings-definition", "readings");

    private final InMemoryContractNegotiationStore store = new InMemoryContractNegotiationStore(Clock.systemUTC(), CriterionOperatorRegistryImpl.ofDefaults());
    private final ParticipantContext madrid = ParticipantContext.Builder.newInstance().participantContextId("lab-madrid").identity("lab-madrid").build();
    private final Monitor monitor = new Monitor() {
    };
    private final ContractNegotiationProtocolService edc = new ContractNegotiationProtocolServiceImpl(store, new NoopTransactionContext(),
            new CounterPartyCheck(), offerId -> ServiceResult.success(readingsOffer()),
            (context, token, policyContext, policy, message) -> ServiceResult.success(new ParticipantAgent(token.getToken(), Map.of(), Map.of())),
            new ContractNegotiationObservableImpl(), monitor, new Telemetry());
    private final ResentContractRequests service = new ResentContractRequests(edc, store, monitor);

    @Test
    void aRequestThatComesAgain_isAnsweredWithTheNegotiationItsFirstCopyMade() {
        var consumerPid = UUID.randomUUID().toString();
        var first = service.notifyRequested(madrid, request(consumerPid, LISBON), from("lab-lisbon"));
        var again = service.notifyRequested(madrid, request(consumerPid, LISBON), from("lab-lisbon"));

        assertThat(again.succeeded()).as(String.valueOf(again.getFailureDetail())).isTrue();
        assertThat(again.getContent().getId()).as("the providerPid of the answer").isEqualTo(first.getContent().getId());
        assertThat(again.getContent().getCorrelationId()).isEqualTo(consumerPid);
        assertThat(providerNegotiations()).hasSize(1);
    }

    @Test
    void edcAlone_makesASecondNegotiationForTheSameRequest() {
        // why the service exists: each negotiation goes on to an agreement, and the consumer follows only one
        var consumerPid = UUID.randomUUID().toString();
        edc.notifyRequested(madrid, request(consumerPid, LISBON), from("lab-lisbon"));
        edc.notifyRequested(madrid, request(consumerPid, LISBON), from("lab-lisbon"));

        assertThat(providerNegotiations()).hasSize(2);
    }

    @Test
    void aNegotiationOnItsWayToAnAgreement_isAnsweredWithItsState_andLeftAsItIs() {
        var consumerPid = UUID.randomUUID().toString();
        var first = service.notifyRequested(madrid, request(consumerPid, LISBON), from("lab-lisbon")).getContent();
        first.transitionAgreeing();
        first.setContractAgreement(agreement());
        first.transitionAgreed();
        store.save(first);

        var again = service.notifyRequested(madrid, request(consumerPid, LISBON), from("lab-lisbon"));

        assertThat(again.getContent().getId()).isEqualTo(first.getId());
        assertThat(again.getContent().stateAsString()).isEqualTo("AGREED");
        assertThat(store.findById(first.getId()).stateAsString()).isEqualTo("AGREED");
        assertThat(providerNegotiations()).hasSize(1);
    }

    @Test
    void aNegotiationThatHasEnded_refusesTheRequest_soThatTheConsumersCopyEndsToo() {
        var consumerPid = UUID.randomUUID().toString();
        var first = service.notifyRequested(madrid, request(consumerPid, LISBON), from("lab-lisbon")).getContent();
        first.transitionTerminated();
        store.save(first);

        var again = service.notifyRequested(madrid, request(consumerPid, LISBON), from("lab-lisbon"));

        assertThat(again.reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
        assertThat(again.getFailureDetail()).contains("TERMINATED");
        assertThat(providerNegotiations()).hasSize(1);
    }

    @Test
    void aNewConsumerPid_makesANewNegotiation() {
        var first = service.notifyRequested(madrid, request(UUID.randomUUID().toString(), LISBON), from("lab-lisbon"));
        var second = service.notifyRequested(madrid, request(UUID.randomUUID().toString(), LISBON), from("lab-lisbon"));

        assertThat(second.getContent().getId()).isNotEqualTo(first.getContent().getId());
        assertThat(providerNegotiations()).hasSize(2);
    }

    @Test
    void anotherParticipantWithItsOwnAddress_getsANegotiationOfItsOwn_forTheSameConsumerPid() {
        var consumerPid = "1"; // a consumer numbering its processes
        var lisbon = service.notifyRequested(madrid, request(consumerPid, LISBON), from("lab-lisbon"));
        var porto = service.notifyRequested(madrid, request(consumerPid, PORTO), from("lab-porto"));

        assertThat(porto.succeeded()).isTrue();
        assertThat(porto.getContent().getId()).isNotEqualTo(lisbon.getContent().getId());
        assertThat(porto.getContent().getCounterPartyId()).isEqualTo("lab-porto");
        assertThat(providerNegotiations()).hasSize(2);
    }

    @Test
    void anotherParticipantPresentingTheSameConsumerPidAndAddress_isRefused_andLearnsNothingOfTheNegotiation() {
        var consumerPid = UUID.randomUUID().toString();
        var lisbon = service.notifyRequested(madrid, request(consumerPid, LISBON), from("lab-lisbon")).getContent();

        var impostor = service.notifyRequested(madrid, request(consumerPid, LISBON), from("lab-porto"));

        assertThat(impostor.failed()).isTrue();
        assertThat(impostor.getFailureDetail()).doesNotContain(lisbon.getId()).doesNotContain("lab-lisbon");
        assertThat(providerNegotiations()).hasSize(1);
    }

    @Test
    void copiesArrivingAtOnce_makeOneNegotiation() throws Exception {
        var consumerPid = UUID.randomUUID().toString();
        var copies = new ArrayList<Callable<String>>();
        for (var i = 0; i < 8; i++) {
            copies.add(() -> service.notifyRequested(madrid, request(consumerPid, LISBON), from("lab-lisbon")).getContent().getId());
        }
        var executor = Executors.newFixedThreadPool(8);
        try {
            var providerPids = new ArrayList<String>();
            for (var answer : executor.invokeAll(copies)) {
                providerPids.add(answer.get());
            }
            assertThat(providerPids).containsOnly(providerPids.get(0));
        } finally {
            executor.shutdownNow();
        }
        assertThat(providerNegotiations()).hasSize(1);
    }

    private List<ContractNegotiation> providerNegotiations() {
        try (var all = store.queryNegotiations(QuerySpec.max())) {
            return all.filter(n -> n.getType() == ContractNegotiation.Type.PROVIDER).toList();
        }
    }

    /** A new copy of the consumer's initial request: a message of its own, with the same consumerPid. */
    private static ContractRequestMessage request(String consumerPid, String callbackAddress) {
        return ContractRequestMessage.Builder.newInstance()
                .type(ContractRequestMessage.Type.INITIAL)
                .consumerPid(consumerPid)
                .callbackAddress(callbackAddress)
                .protocol("dataspace-protocol-http:2025-1")
                .contractOffer(ContractOffer.Builder.newInstance().id(OFFER.toString()).assetId("readings").policy(Policy.Builder.newInstance().build()).build())
                .build();
    }

    private static TokenRepresentation from(String participant) {
        return TokenRepresentation.Builder.newInstance().token(participant).build();
    }

    private static ValidatableConsumerOffer readingsOffer() {
        var definition = ContractDefinition.Builder.newInstance().id("readings-definition").participantContextId("lab-madrid")
                .accessPolicyId("readings").contractPolicyId("readings").build();
        var policy = Policy.Builder.newInstance().build();
        return ValidatableConsumerOffer.Builder.newInstance().offerId(OFFER).contractDefinition(definition).accessPolicy(policy).contractPolicy(policy).build();
    }

    private static ContractAgreement agreement() {
        return ContractAgreement.Builder.newInstance().id(UUID.randomUUID().toString()).providerId("lab-madrid").consumerId("lab-lisbon")
                .assetId("readings").policy(Policy.Builder.newInstance().build()).build();
    }

    /** Accepts every offer; a negotiation answers only its own counter-party, as EDC's validation does. */
    private static final class CounterPartyCheck implements ContractValidationService {
        @Override
        public @NotNull Result<ValidatedConsumerOffer> validateInitialOffer(ParticipantAgent agent, ValidatableConsumerOffer offer) {
            return Result.success(new ValidatedConsumerOffer(agent.getIdentity(), ContractOffer.Builder.newInstance()
                    .id(offer.getOfferId().toString()).assetId("readings").policy(offer.getContractPolicy()).build()));
        }

        @Override
        public @NotNull Result<Void> validateRequest(ParticipantAgent agent, ContractNegotiation negotiation) {
            return agent.getIdentity().equals(negotiation.getCounterPartyId()) ? Result.success() : Result.failure("Invalid counter-party identity");
        }

        @Override
        public @NotNull Result<ContractAgreement> validateAgreement(ParticipantAgent agent, ContractAgreement agreement) {
            throw new UnsupportedOperationException("not part of a contract request");
        }

        @Override
        public @NotNull Result<Void> validateRequest(ParticipantAgent agent, ContractAgreement agreement) {
            throw new UnsupportedOperationException("not part of a contract request");
        }

        @Override
        public @NotNull Result<Void> validateConfirmed(ParticipantAgent agent, ContractAgreement agreement, ContractOffer latestOffer) {
            throw new UnsupportedOperationException("not part of a contract request");
        }
    }
}
