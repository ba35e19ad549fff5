package org.labspace.connector.config;

/**
 * One documented setting: its key, its default (null when required or when it has none) and what it means.
 * {@code docs/settings.md} lists every one of these; a test keeps the two in step.
 */
public record LabSetting(String key, String defaultValue, boolean required, String description) {

    public static LabSetting required(String key, String description) {
        return new LabSetting(key, null, true, description);
    }

    public static LabSetting optional(String key, String defaultValue, String description) {
        return new LabSetting(key, defaultValue, false, description);
    }
}
