package org.labspace.connector.research;

import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationAgreed;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessStarted;
import org.eclipse.edc.spi.event.Event;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessSignalsTest {

    private final ProcessSignals signals = new ProcessSignals();

    @Test
    void aReportedChange_wakesTheWaitForThatProcess() throws Exception {
        signals.watch("n-1");
        var seen = signals.changes("n-1");
        var reporter = new Thread(() -> {
            sleep(100);
            signals.on(envelope(ContractNegotiationAgreed.Builder.newInstance().contractNegotiationId("n-1")
                    .counterPartyAddress("http://provider/protocol").counterPartyId("provider").protocol("dsp").build()));
        });
        reporter.start();
        var started = System.nanoTime();

        assertThat(signals.awaitChange("n-1", seen, 10_000)).isTrue();
        assertThat((System.nanoTime() - started) / 1e6).as("milliseconds waited").isLessThan(5_000);
        reporter.join();
    }

    @Test
    void changesOfOtherProcesses_doNotEndTheWait() throws Exception {
        signals.watch("t-1");
        var seen = signals.changes("t-1");
        signals.on(envelope(TransferProcessStarted.Builder.newInstance().transferProcessId("t-2").type("CONSUMER").build()));

        assertThat(signals.awaitChange("t-1", seen, 50)).isFalse();
    }

    @Test
    void aChangeBeforeTheWait_isNotMissed() throws Exception {
        signals.watch("t-1");
        var seen = signals.changes("t-1");
        signals.on(envelope(TransferProcessStarted.Builder.newInstance().transferProcessId("t-1").type("CONSUMER").build()));

        assertThat(signals.awaitChange("t-1", seen, 0)).isTrue();
    }

    @Test
    void forgottenAndUnwatchedProcesses_areNotCounted() {
        signals.on(envelope(TransferProcessStarted.Builder.newInstance().transferProcessId("t-3").type("CONSUMER").build()));
        assertThat(signals.changes("t-3")).isZero();

        signals.watch("t-3");
        signals.forget("t-3");
        signals.on(envelope(TransferProcessStarted.Builder.newInstance().transferProcessId("t-3").type("CONSUMER").build()));
        assertThat(signals.changes("t-3")).isZero();
    }

    private static <E extends Event> EventEnvelope<E> envelope(E event) {
        return EventEnvelope.Builder.<E>newInstance().id(UUID.randomUUID().toString()).at(System.currentTimeMillis()).payload(event).build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
