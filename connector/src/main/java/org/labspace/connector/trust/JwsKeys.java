package org.labspace.connector.trust;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.util.Arrays;

/**
 * Maps a lab key to its one JWS algorithm (ES256 for P-256, EdDSA for Ed25519), so a verifier never lets the token
 * choose the algorithm.
 */
final class JwsKeys {

    private JwsKeys() {
    }

    static JWSAlgorithm algorithm(PublicKey key) {
        if (key instanceof ECPublicKey) {
            return JWSAlgorithm.ES256;
        }
        if (key instanceof EdECPublicKey) {
            return JWSAlgorithm.EdDSA;
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
    }

    static JWSSigner signer(KeyPair pair) {
        try {
            if (pair.getPrivate() instanceof ECPrivateKey ec) {
                return new ECDSASigner(ec);
            }
            if (pair.getPrivate() instanceof EdECPrivateKey ed) {
                var seed = ed.getBytes().orElseThrow(() -> new IllegalArgumentException("Ed25519 private key has no seed"));
                return new Ed25519Signer(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(rawEd25519(pair.getPublic())))
                        .d(Base64URL.encode(seed)).build());
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unsupported key type " + pair.getPrivate().getAlgorithm());
    }

    static JWSVerifier verifier(PublicKey key) {
        try {
            if (key instanceof ECPublicKey ec) {
                return new ECDSAVerifier(ec);
            }
            if (key instanceof EdECPublicKey) {
                return new Ed25519Verifier(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(rawEd25519(key))).build());
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot verify with this key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
    }

    private static byte[] rawEd25519(PublicKey key) {
        var encoded = key.getEncoded(); // SubjectPublicKeyInfo ends with the 32 raw key bytes
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }
}
