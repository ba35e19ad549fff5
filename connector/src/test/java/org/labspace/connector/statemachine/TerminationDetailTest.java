package org.labspace.connector.statemachine;

import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminationDetailTest {

    @Test
    void aTransferTerminatedWithoutReason_getsOne_soItsProtocolStateStaysTerminated() {
        var process = TransferProcess.Builder.newInstance().id("t-1").type(TransferProcess.Type.PROVIDER).build();
        process.transitionTerminated();

        new TerminationDetail().preTerminated(process);

        assertThat(process.getErrorDetail()).isEqualTo(TerminationDetail.NO_REASON);
    }

    @Test
    void aGivenReason_isKept() {
        var process = TransferProcess.Builder.newInstance().id("t-2").type(TransferProcess.Type.PROVIDER).build();
        process.transitionTerminated("agreement revoked");

        new TerminationDetail().preTerminated(process);

        assertThat(process.getErrorDetail()).isEqualTo("agreement revoked");
    }
}
