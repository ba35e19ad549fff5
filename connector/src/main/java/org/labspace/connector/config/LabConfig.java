package org.labspace.connector.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A lab's settings as EDC will see them: the properties file, overridden by environment variables
 * (EDC's convention: upper case, underscores for dots), overridden by {@code -Dkey=value} system properties.
 * <p>
 * Plain Java on purpose: the command line reads the same settings as the runtime without booting EDC.
 */
public final class LabConfig {

    private final Path file;
    private final Map<String, String> values;
    private final Map<String, String> fromFile;

    private LabConfig(Path file, Map<String, String> fromFile, Map<String, String> values) {
        this.file = file;
        this.fromFile = Collections.unmodifiableMap(fromFile);
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Loads the lab's settings.
     *
     * @param file       the properties file, or null when all settings come from the environment and system properties
     * @param env        environment variables
     * @param properties system properties
     * @throws ConfigException when the file is missing or unreadable
     */
    public static LabConfig load(Path file, Map<String, String> env, Properties properties) {
        var fileValues = new TreeMap<String, String>();
        if (file != null) {
            var props = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (NoSuchFileException e) {
                throw new ConfigException("config file not found: " + file);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
            }
            props.stringPropertyNames().forEach(k -> fileValues.put(k, props.getProperty(k).trim()));
        }
        var merged = new TreeMap<>(fileValues);
        env.forEach((k, v) -> merged.put(envToKey(k), v));
        properties.stringPropertyNames().forEach(k -> merged.put(k, properties.getProperty(k)));
        return new LabConfig(file, fileValues, merged);
    }

    /** Settings from a map only (tests, and EDC's own merged configuration). */
    public static LabConfig of(Map<String, String> values) {
        return new LabConfig(null, new TreeMap<>(), new TreeMap<>(values));
    }

    /** Loads from the given file (or none) with this process's environment and system properties. */
    public static LabConfig fromProcess(Path file) {
        return load(file, System.getenv(), System.getProperties());
    }

    /** Maps an environment variable name to a setting key the way EDC does: {@code WEB_HTTP_PORT -> web.http.port}. */
    public static String envToKey(String envName) {
        return envName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    public Path file() {
        return file;
    }

    /** The value, or null when no source sets it. Blank values count as unset. */
    public String get(String key) {
        var value = values.get(key);
        return value == null || value.isBlank() ? null : value;
    }

    public String get(String key, String defaultValue) {
        var value = get(key);
        return value == null ? defaultValue : value;
    }

    public boolean has(String key) {
        return get(key) != null;
    }

    /** True when the value in effect comes from the properties file (not overridden by the environment or -D). */
    public boolean fromFile(String key) {
        return fromFile.containsKey(key) && fromFile.get(key).equals(values.get(key));
    }

    /**
     * A path setting. A relative path in the properties file is resolved against the file's folder, so a config
     * works from any working directory; from the environment or -D it is resolved against the working directory.
     */
    public Path getPath(String key) {
        var value = get(key);
        if (value == null) {
            return null;
        }
        var path = Path.of(value);
        if (!path.isAbsolute() && file != null && fromFile(key)) {
            var folder = file.toAbsolutePath().getParent();
            path = folder.resolve(path);
        }
        return path.toAbsolutePath().normalize();
    }

    /**
     * An integer setting.
     *
     * @throws ConfigException naming the setting when the value is not an integer
     */
    public Integer getInt(String key) {
        var value = get(key);
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("setting '" + key + "' must be an integer, got '" + value + "'");
        }
    }

    public Map<String, String> values() {
        return values;
    }
}
