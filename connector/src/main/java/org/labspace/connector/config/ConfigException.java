package org.labspace.connector.config;

/** A configuration problem whose message names the setting and is fit to show a lab administrator as is. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
