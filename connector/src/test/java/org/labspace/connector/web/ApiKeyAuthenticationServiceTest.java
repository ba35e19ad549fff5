package org.labspace.connector.web;

import org.eclipse.edc.web.spi.exception.AuthenticationFailedException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyAuthenticationServiceTest {

    private final ApiKeyAuthenticationService service = new ApiKeyAuthenticationService("Secret-Key-0123456789");

    @Test
    void exactKey_isAccepted_headerNameInAnyCase() {
        assertThat(service.isAuthenticated(Map.of("x-api-key", List.of("Secret-Key-0123456789")))).isTrue();
        assertThat(service.isAuthenticated(Map.of("X-API-KEY", List.of("Secret-Key-0123456789")))).isTrue();
    }

    @Test
    void keyInAnotherCase_isRefused() {
        // EDC's stock check compares ignoring case
        assertThat(service.isAuthenticated(Map.of("X-Api-Key", List.of("SECRET-KEY-0123456789")))).isFalse();
    }

    @Test
    void wrongKey_prefix_orSeveralValues_areRefused() {
        assertThat(service.isAuthenticated(Map.of("X-Api-Key", List.of("Secret-Key-012345678")))).isFalse();
        assertThat(service.isAuthenticated(Map.of("X-Api-Key", List.of("")))).isFalse();
        assertThat(service.isAuthenticated(Map.of("X-Api-Key", List.of("Secret-Key-0123456789", "other")))).isFalse();
    }

    @Test
    void missingHeader_saysSo() {
        assertThatThrownBy(() -> service.isAuthenticated(Map.of("Authorization", List.of("Bearer Secret-Key-0123456789"))))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("X-Api-Key header missing");
    }
}
