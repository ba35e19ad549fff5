package org.labspace.connector.vault;

import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;

/**
 * EDC's {@link Vault} on a {@link FileSecretStore}, so keys and the tokens a lab receives from peers survive restarts.
 * A Labspace connector serves one lab, so vault partitions (participant contexts) fall back to the single store.
 */
public final class FileVault implements Vault {

    private final FileSecretStore store;
    private final Monitor monitor;

    public FileVault(FileSecretStore store, Monitor monitor) {
        this.store = store;
        this.monitor = monitor;
    }

    @Override
    public String resolveSecret(String key) {
        try {
            return store.get(key);
        } catch (RuntimeException e) {
            monitor.severe("Vault: " + e.getMessage(), e);
            return null;
        }
    }

    @Override
    public Result<Void> storeSecret(String key, String value) {
        try {
            store.put(key, value);
            return Result.success();
        } catch (RuntimeException e) {
            return Result.failure(e.getMessage());
        }
    }

    @Override
    public Result<Void> deleteSecret(String key) {
        try {
            store.delete(key);
            return Result.success();
        } catch (RuntimeException e) {
            return Result.failure(e.getMessage());
        }
    }
}
