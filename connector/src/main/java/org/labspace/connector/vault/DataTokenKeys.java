package org.labspace.connector.vault;

import org.labspace.connector.trust.KeyAlgorithm;
import org.labspace.connector.trust.LabKeys;

/**
 * The key pair a lab's data plane signs data access tokens with. Generated once, on the first start, and kept in the
 * vault, so tokens issued before a restart still verify after it.
 */
public final class DataTokenKeys {

    private DataTokenKeys() {
    }

    /** Generates an EC P-256 pair under the two aliases unless the store already has both. Returns true if it generated. */
    public static boolean ensure(FileSecretStore store, String privateKeyAlias, String publicKeyAlias) {
        if (store.get(privateKeyAlias) != null && store.get(publicKeyAlias) != null) {
            return false;
        }
        var pair = LabKeys.generate(KeyAlgorithm.EC_P256);
        // public first: a crash in between leaves no private key without its public half
        store.put(publicKeyAlias, LabKeys.publicPem(pair.getPublic()));
        store.put(privateKeyAlias, LabKeys.privatePem(pair.getPrivate()));
        return true;
    }
}
