package org.labspace.connector.research;

import java.time.Instant;

/** A researcher of this lab, as the lab administrator registered them; {@code revoked} is null while the key works. */
public record Researcher(String name, Instant created, Instant revoked) {

    public boolean active() {
        return revoked == null;
    }
}
