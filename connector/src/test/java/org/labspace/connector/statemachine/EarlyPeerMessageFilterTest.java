package org.labspace.connector.statemachine;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which peer messages arrive before this connector recorded its own previous message, by this connector's state. */
class EarlyPeerMessageFilterTest {

    private final Map<String, String> negotiations = Map.of("n-requesting", "REQUESTING", "n-requested", "REQUESTED",
            "n-agreeing", "AGREEING", "n-agreed", "AGREED", "n-verifying", "VERIFYING", "n-verified", "VERIFIED");
    private final Map<String, String> transfers = Map.of("t-requesting", "REQUESTING", "t-requested", "REQUESTED");
    private final EarlyPeerMessageFilter filter = new EarlyPeerMessageFilter(negotiations::get, transfers::get);

    @Test
    void anAnswerToAMessageWeHaveNotRecordedAsSent_isEarly() {
        assertThat(filter.isEarly("2025-1/negotiations/n-requesting/agreement")).isTrue();
        assertThat(filter.isEarly("/negotiations/n-requesting/agreement")).as("DSP v0.8, leading slash").isTrue();
        assertThat(filter.isEarly("2025-1/negotiations/n-agreeing/agreement/verification")).isTrue();
        assertThat(filter.isEarly("2025-1/negotiations/n-verifying/events")).isTrue();
        assertThat(filter.isEarly("2025-1/transfers/t-requesting/start")).isTrue();
    }

    @Test
    void anAnswerInTheRightState_orAnyOtherMessage_goesThrough() {
        assertThat(filter.isEarly("2025-1/negotiations/n-requested/agreement")).isFalse();
        assertThat(filter.isEarly("2025-1/negotiations/n-agreed/agreement/verification")).isFalse();
        assertThat(filter.isEarly("2025-1/negotiations/n-verified/events")).isFalse();
        assertThat(filter.isEarly("2025-1/transfers/t-requested/start")).isFalse();
        assertThat(filter.isEarly("2025-1/negotiations/unknown/agreement")).isFalse();
        assertThat(filter.isEarly("2025-1/negotiations/n-requesting/termination")).as("a termination is never held back").isFalse();
        assertThat(filter.isEarly("2025-1/negotiations/request")).isFalse();
        assertThat(filter.isEarly("2025-1/catalog/request")).isFalse();
    }
}
