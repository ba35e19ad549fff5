package org.labspace.connector.trust;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.text.ParseException;

/**
 * Signs and verifies the network registry as a compact JWS whose payload is the registry JSON. The signed file is the
 * only form a connector accepts; the plain JSON is the operator's draft.
 */
public final class RegistrySignature {

    public static final JOSEObjectType TYPE = new JOSEObjectType("labspace-registry+json");

    private RegistrySignature() {
    }

    /**
     * @throws IllegalArgumentException when the registry has problems: a broken registry is never signed
     */
    public static String sign(NetworkRegistry registry, KeyPair operatorKey) {
        var problems = registry.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the registry has problems, fix them before signing:\n  " + String.join("\n  ", problems));
        }
        var header = new JWSHeader.Builder(JwsKeys.algorithm(operatorKey.getPublic()))
                .type(TYPE)
                .keyID(LabKeys.keyId(operatorKey.getPublic()))
                .build();
        var jws = new JWSObject(header, new Payload(RegistryJson.write(registry).getBytes(StandardCharsets.UTF_8)));
        try {
            jws.sign(JwsKeys.signer(operatorKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the registry: " + e.getMessage(), e);
        }
        return jws.serialize() + "\n";
    }

    /**
     * Checks the operator's signature, then the registry's content.
     *
     * @throws TrustException saying why the registry cannot be trusted
     */
    public static NetworkRegistry verify(String signed, PublicKey operatorKey) throws TrustException {
        JWSObject jws;
        try {
            jws = JWSObject.parse(signed.strip());
        } catch (ParseException e) {
            throw new TrustException("registry is not a signed registry (compact JWS expected): " + e.getMessage());
        }
        var header = jws.getHeader();
        if (!TYPE.equals(header.getType())) {
            throw new TrustException("registry has JWS type '" + header.getType() + "', expected '" + TYPE + "'");
        }
        var expectedAlgorithm = JwsKeys.algorithm(operatorKey);
        if (!expectedAlgorithm.equals(header.getAlgorithm())) {
            throw new TrustException("registry is signed with " + header.getAlgorithm() + " but the operator key needs " + expectedAlgorithm);
        }
        var operatorKid = LabKeys.keyId(operatorKey);
        if (!operatorKid.equals(header.getKeyID())) {
            throw new TrustException("registry is signed by key " + header.getKeyID() + ", not by the configured operator key " + operatorKid);
        }
        try {
            if (!jws.verify(JwsKeys.verifier(operatorKey))) {
                throw new TrustException("registry signature does not verify with the operator key " + operatorKid + ": it was altered or forged");
            }
        } catch (JOSEException e) {
            throw new TrustException("registry signature cannot be checked: " + e.getMessage());
        }
        var registry = RegistryJson.read(jws.getPayload().toString());
        var problems = registry.problems();
        if (!problems.isEmpty()) {
            throw new TrustException("signed registry has problems: " + String.join("; ", problems));
        }
        return registry;
    }
}
