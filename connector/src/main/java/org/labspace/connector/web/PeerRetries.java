package org.labspace.connector.web;

import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedBiPredicate;

import java.io.InterruptedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The retries of requests to peers. EDC retries every failed request ({@code edc.core.retry.retries.max} times, 5 by
 * default), a timed-out one too: a peer that takes longer than {@code edc.http.client.timeout.read} (30 s) to answer
 * then held a researcher's or an administrator's request for six times that before it failed. A peer that was reached
 * but did not answer in time is not asked again; refused connections, resets and 5xx answers (a peer busy for a
 * moment answers 503) are still retried, as they fail fast.
 */
public final class PeerRetries {

    private PeerRetries() {
    }

    /**
     * Adds "a timeout ends the retries" to {@code policy}'s abort conditions, in place. Failsafe keeps them in a plain
     * list that it reads at every attempt; call this before the policy is in use.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void noRetryAfterTimeout(RetryPolicy<?> policy) {
        List conditions = policy.getConfig().getAbortConditions();
        conditions.add((CheckedBiPredicate<Object, Throwable>) (result, failure) -> isTimeout(failure));
    }

    /**
     * OkHttp's read and connect timeouts are SocketTimeoutException ("timeout", "Read timed out", "connect timed
     * out"), its call timeout InterruptedIOException. EDC's fallbacks (FallbackFactories) turn a failed call into an
     * EdcHttpClientException that keeps only the message, so the message is what is left to tell.
     */
    static boolean isTimeout(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InterruptedIOException) {
                return true;
            }
            var message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            if (message.equals("timeout") || message.contains("timed out")) {
                return true;
            }
        }
        return false;
    }
}
