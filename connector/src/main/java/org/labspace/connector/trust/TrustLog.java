package org.labspace.connector.trust;

/** Where the trust classes report what they decide; the EDC adapter points it at the connector's monitor. */
public interface TrustLog {

    void info(String message);

    void warning(String message);
}
