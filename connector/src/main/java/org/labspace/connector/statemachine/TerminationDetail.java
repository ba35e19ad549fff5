package org.labspace.connector.statemachine;

import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessListener;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;

/**
 * Keeps a terminated transfer TERMINATED in the eyes of the peer.
 * <p>
 * After a provider's transfer is terminated, EDC 0.15.1 deprovisions it at once, and its Dataspace Protocol mapping
 * reports a deprovisioned transfer as COMPLETED unless it carries an error detail. A transfer the consumer
 * terminated (which carries none) thus reads as COMPLETED a moment later; the Dataspace TCK found it (TP:02-01,
 * TP:03-04 to 03-06). Recording why it was terminated keeps the protocol state TERMINATED.
 */
final class TerminationDetail implements TransferProcessListener {

    // the state is already TERMINATED here, so who asked for it is no longer known
    static final String NO_REASON = "transfer terminated without a reason";

    @Override
    public void preTerminated(TransferProcess process) {
        if (process.getErrorDetail() == null || process.getErrorDetail().isBlank()) {
            process.setErrorDetail(NO_REASON);
        }
    }
}
