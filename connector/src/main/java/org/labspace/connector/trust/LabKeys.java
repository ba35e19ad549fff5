package org.labspace.connector.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.jce.ECNamedCurveTable;
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

    // DER header of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 raw key bytes
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

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

    /**
     * Reads a SubjectPublicKeyInfo PEM holding a P-256 or Ed25519 key.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static PublicKey parsePublicKey(String pem) {
        var der = pemBody(pem, "PUBLIC KEY");
        for (var algorithm : List.of("EC", "Ed25519")) {
            try {
                var key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                canonicalJwk(key); // refuses curves other than P-256
                return key;
            } catch (GeneralSecurityException | IllegalArgumentException ignored) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("neither a P-256 nor an Ed25519 public key");
    }

    public static PublicKey readPublicKey(Path file) throws IOException {
        try {
            return parsePublicKey(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** {@link #readPublicKey} for callers that treat an unreadable file as a bug. */
    public static PublicKey readPublicKeyUnchecked(Path file) {
        try {
            return readPublicKey(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Reads a PKCS#8 PEM private key as written by {@link #write} and derives its public half, so a lab configures
     * one file and its key id can still be computed.
     *
     * @throws IllegalArgumentException when the file holds no P-256 or Ed25519 private key; the message never
     *                                  contains key material
     */
    public static KeyPair readKeyPair(Path file) throws IOException {
        byte[] der;
        try {
            der = pemBody(Files.readString(file), "PRIVATE KEY");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        try {
            var key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            if (!P256_ORDER.equals(key.getParams().getOrder())) {
                throw new IllegalArgumentException(file + ": EC key is not on P-256");
            }
            var curve = ECNamedCurveTable.getParameterSpec("secp256r1");
            var q = curve.getG().multiply(key.getS()).normalize();
            var point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
            var publicKey = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, key.getParams()));
            return new KeyPair(publicKey, key);
        } catch (GeneralSecurityException | ClassCastException notEc) {
            // try Ed25519
        }
        try {
            var key = (EdECPrivateKey) KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            var seed = key.getBytes().orElseThrow(() -> new IllegalArgumentException(file + ": Ed25519 key has no seed"));
            var raw = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
            var spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
            System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
            System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
            return new KeyPair(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)), key);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException(file + ": neither a P-256 nor an Ed25519 private key");
        }
    }

    private static byte[] pemBody(String pem, String type) {
        if (pem == null || !pem.contains("-----BEGIN " + type + "-----")) {
            throw new IllegalArgumentException("not a PEM " + type.toLowerCase(java.util.Locale.ROOT));
        }
        try {
            return Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM body is not base64");
        }
    }

    static String pem(String type, byte[] der) {
        var body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
