package org.labspace.dataplane.stream;

/**
 * Asked before every batch leaves: throws {@link StreamCutException} once the stream may no longer run (its
 * transfer ended, its agreement was revoked or expired). Must be cheap; implementations cache their answer briefly.
 */
@FunctionalInterface
public interface StreamGuard {

    StreamGuard ALWAYS = () -> {
    };

    void check();
}
