package org.labspace.connector.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A lab's signing keys: generation, the key id peers use to pick the right public key from the network registry,
 * and writing the pair to disk with the private half readable by the owner only.
 * <p>
 * The key id is the RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key, so anyone holding the public key
 * can recompute it, and a rotated key always gets a new id.
 */
public final class LabKeys {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    // the group order tells P-256 apart from other curves, including 256-bit ones such as secp256k1
    static final java.math.BigInteger P256_ORDER =
            new java.math.BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private LabKeys() {
    }

    public static KeyPair generate(KeyAlgorithm algorithm) {
        try {
            return switch (algorithm) {
                case EC_P256 -> {
                    var generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"));
                    yield generator.generateKeyPair();
                }
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm.cliName() + " key: " + e.getMessage(), e);
        }
    }

    /** The public key as a JWK with only its required members, in the lexicographic order RFC 7638 asks for. */
    public static String canonicalJwk(PublicKey key) {
        var encoded = key.getEncoded(); // SubjectPublicKeyInfo: the raw key is at its end
        if (key instanceof ECPublicKey ec) {
            if (!P256_ORDER.equals(ec.getParams().getOrder())) {
                throw new IllegalArgumentException("EC key is not on P-256");
            }
            // uncompressed point 0x04 || X || Y, 32 bytes each for P-256
            var x = Arrays.copyOfRange(encoded, encoded.length - 64, encoded.length - 32);
            var y = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            return "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + BASE64URL.encodeToString(x) + "\",\"y\":\"" + BASE64URL.encodeToString(y) + "\"}";
        }
        if (key instanceof EdECPublicKey) {
            var x = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            return "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + BASE64URL.encodeToString(x) + "\"}";
        }
        throw new IllegalArgumentException("unsupported public key type " + key.getAlgorithm() + ": use ec-p256 or ed25519");
    }

    /** RFC 7638 thumbprint of the public key. */
    public static String keyId(PublicKey key) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(canonicalJwk(key).getBytes(StandardCharsets.UTF_8));
            return BASE64URL.encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /** PKCS#8 PEM of a private key: handle with care, it is the secret. */
    public static String privatePem(java.security.PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /**
     * Writes {@code <name>.key} (PKCS#8, mode 0600 from the moment it exists) and {@code <name>.pub} into {@code dir}.
     *
     * @throws FileAlreadyExistsException when either file exists: a lab's key is never overwritten silently
     */
    public static void write(KeyPair pair, Path dir, String name) throws IOException {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("key name '" + name + "' may only hold letters, digits, '.', '_' and '-'");
        }
        Files.createDirectories(dir);
        var privateFile = dir.resolve(name + ".key");
        var publicFile = dir.resolve(name + ".pub");
        for (var file : new Path[]{privateFile, publicFile}) {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite an existing key; move it away first");
            }
        }
        Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateFile, privatePem(pair.getPrivate()), StandardOpenOption.TRUNCATE_EXISTING);
        Files.writeString(publicFile, publicPem(pair.getPublic()), StandardOpenOption.CREATE_NEW);
    }

    static String pem(String type, byte[] der) {
        var body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
