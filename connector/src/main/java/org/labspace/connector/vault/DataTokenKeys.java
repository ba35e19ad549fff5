package org.labspace.connector.vault;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * The key pair a lab's data plane signs data access tokens with. Generated once, on the first start, and kept in the
 * vault, so tokens issued before a restart still verify after it.
 */
public final class DataTokenKeys {

    private DataTokenKeys() {
    }

    /** Generates the pair under the two aliases unless the store already has the private key. Returns true if it generated. */
    public static boolean ensure(FileSecretStore store, String privateKeyAlias, String publicKeyAlias) {
        if (store.get(privateKeyAlias) != null && store.get(publicKeyAlias) != null) {
            return false;
        }
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            var pair = generator.generateKeyPair();
            // public first: a crash in between leaves no private key without its public half
            store.put(publicKeyAlias, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            store.put(privateKeyAlias, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            return true;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the data token key pair: " + e.getMessage(), e);
        }
    }

    static String pem(String type, byte[] der) {
        var body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
