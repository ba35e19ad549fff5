package org.labspace.connector.research;

import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationEvent;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessEvent;
import org.eclipse.edc.spi.event.Event;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.event.EventSubscriber;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a waiting access that EDC reported a change to the negotiation or transfer it waits for, so that it looks
 * once per change instead of polling the Management API every few milliseconds: with 50 researchers asking at once,
 * that polling alone kept two cores busy and an access took 50 s (docs/reliability.md). Only watched processes are
 * counted, so nothing is kept for the others.
 */
final class ProcessSignals implements EventSubscriber {

    private final Map<String, Long> changes = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    /** Starts counting the changes of a process; {@link #forget} ends it. */
    void watch(String id) {
        changes.putIfAbsent(id, 0L);
    }

    void forget(String id) {
        changes.remove(id);
    }

    /** How many changes of a watched process were reported so far. */
    long changes(String id) {
        return changes.getOrDefault(id, 0L);
    }

    /**
     * Waits until more than {@code seen} changes of the process were reported, or {@code millis} passed.
     *
     * @return whether a change was reported
     */
    boolean awaitChange(String id, long seen, long millis) throws InterruptedException {
        var deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (lock) {
            while (changes(id) == seen) {
                var left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
            return true;
        }
    }

    @Override
    public <E extends Event> void on(EventEnvelope<E> event) {
        var payload = event.getPayload();
        var id = payload instanceof ContractNegotiationEvent negotiation ? negotiation.getContractNegotiationId()
                : payload instanceof TransferProcessEvent transfer ? transfer.getTransferProcessId() : null;
        if (id != null && changes.computeIfPresent(id, (k, n) -> n + 1) != null) {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }
}
