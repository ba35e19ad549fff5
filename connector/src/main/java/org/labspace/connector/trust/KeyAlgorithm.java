package org.labspace.connector.trust;

import java.util.Arrays;
import java.util.Locale;

/** The key types a lab may hold. Names are what the command line accepts. */
public enum KeyAlgorithm {
    EC_P256("ec-p256"),
    ED25519("ed25519");

    private final String cliName;

    KeyAlgorithm(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    public static KeyAlgorithm fromCliName(String name) {
        var wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.cliName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown key algorithm '" + name + "': use ec-p256 or ed25519"));
    }
}
