package org.labspace.connector.research;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessServiceTest {

    @Test
    void aRefusedTransfer_isExplainedInTheProvidersOwnWords() {
        var message = "transfer 646665ac is TERMINATED and has no endpoint: {\"@type\":\"TransferError\",\"code\":\"409\","
                + "\"reason\":[\"Cannot process TransferRequestMessage because agreement not found or not valid\"],\"@context\":[]}";

        assertThat(AccessService.providerReason(message)).isEqualTo("Cannot process TransferRequestMessage because agreement not found or not valid");
    }

    @Test
    void aMessageWithoutAReason_staysAsItIs() {
        assertThat(AccessService.providerReason("connection refused")).isEqualTo("connection refused");
        assertThat(AccessService.providerReason("odd {not json")).isEqualTo("odd {not json");
        assertThat(AccessService.providerReason("error {\"code\":\"500\"}")).isEqualTo("error {\"code\":\"500\"}");
    }
}
