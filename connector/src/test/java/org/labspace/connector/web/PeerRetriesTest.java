package org.labspace.connector.web;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerRetriesTest {

    private final RetryPolicy<Object> policy = edcLike();

    /** A policy like EDC's default (retries, backoff), with Labspace's condition added. */
    private static <T> RetryPolicy<T> edcLike() {
        var policy = RetryPolicy.<T>builder().withMaxRetries(5).withBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
        PeerRetries.noRetryAfterTimeout(policy);
        return policy;
    }

    @Test
    void aTimedOutRequest_isNotSentAgain() {
        var attempts = new AtomicInteger();

        assertThatThrownBy(() -> Failsafe.with(policy).get(() -> {
            attempts.incrementAndGet();
            throw new SocketTimeoutException("timeout");
        })).isInstanceOf(FailsafeException.class).hasCauseInstanceOf(SocketTimeoutException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aTimeoutWrappedByEdc_isNotSentAgainEither() {
        var attempts = new AtomicInteger();

        assertThatThrownBy(() -> Failsafe.with(policy).get(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("EdcHttpClientException", new SocketTimeoutException("timeout"));
        })).isInstanceOf(IllegalStateException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void edcsHttpClient_givesUpOnASilentPeerAfterOneReadTimeout() throws Exception {
        try (var silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            var okHttp = new okhttp3.OkHttpClient.Builder().readTimeout(Duration.ofMillis(500)).build();
            var client = new org.eclipse.edc.http.client.EdcHttpClientImpl(okHttp, PeerRetriesTest.<okhttp3.Response>edcLike(),
                    new org.eclipse.edc.spi.monitor.ConsoleMonitor());
            var request = new okhttp3.Request.Builder().url("http://127.0.0.1:" + silent.getLocalPort() + "/protocol/catalog/request").build();
            var started = System.nanoTime();

            var answer = client.executeAsync(request, java.util.List.of(org.eclipse.edc.http.spi.FallbackFactories.retryWhenStatusIsNotIn(200)));

            assertThatThrownBy(() -> answer.get(10, java.util.concurrent.TimeUnit.SECONDS)).hasMessageContaining("timeout");
            assertThat((System.nanoTime() - started) / 1e9).isLessThan(1.5);
        }
    }

    @Test
    void aRefusedConnection_isRetriedAsConfigured() {
        var attempts = new AtomicInteger();

        assertThatThrownBy(() -> Failsafe.with(policy).get(() -> {
            attempts.incrementAndGet();
            throw new ConnectException("Connection refused");
        })).hasCauseInstanceOf(ConnectException.class);
        assertThat(attempts).hasValue(6);
    }
}
