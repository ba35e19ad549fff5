package org.labspace.connector.vault;

import org.labspace.catalog.DurableFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Set;

/**
 * Secrets kept as one file each in a directory only the connector's user can read (0700, files 0600).
 * <p>
 * A write goes to a temporary file that is flushed to disk and then atomically renamed over the old one, so a
 * crash leaves either the old secret or the new one, never half of either. File names are the base64url form of
 * the secret's key, so any key (EDC uses {@code :} and {@code /} in aliases) maps to one safe file name.
 */
public final class FileSecretStore {

    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final String SUFFIX = ".secret";

    private final Path directory;

    /**
     * Opens (and creates, if missing) the store.
     *
     * @throws IllegalStateException when the directory exists with permissions that let others read it
     */
    public FileSecretStore(Path directory) {
        this.directory = directory;
        try {
            if (Files.notExists(directory)) {
                Files.createDirectories(directory.getParent());
                try {
                    Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
                } catch (FileAlreadyExistsException ignored) {
                    // created concurrently: checked below
                }
            }
            var permissions = Files.getPosixFilePermissions(directory);
            if (!OWNER_ONLY_DIR.containsAll(permissions)) {
                throw new IllegalStateException("vault directory " + directory + " is readable by others (" +
                        PosixFilePermissions.toString(permissions) + "): run chmod 700 on it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open vault directory " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** The secret, or null when none is stored under the key. */
    public String get(String key) {
        try {
            return Files.readString(fileFor(key), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret '" + key + "'", e);
        }
    }

    /** Stores or replaces the secret durably: when this returns, the secret survives a crash. */
    public void put(String key, String value) {
        try {
            DurableFile.replace(fileFor(key), value.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store secret '" + key + "'", e);
        }
    }

    /** Removes the secret; true when one was stored. */
    public boolean delete(String key) {
        try {
            var deleted = Files.deleteIfExists(fileFor(key));
            if (deleted) {
                DurableFile.syncFolder(directory);
            }
            return deleted;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete secret '" + key + "'", e);
        }
    }

    private Path fileFor(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("secret key must not be empty");
        }
        var name = Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
        // file names are limited to 255 bytes; longer keys are hashed into the name instead
        if (name.length() > 200) {
            name = "h-" + sha256(key);
        }
        return directory.resolve(name + SUFFIX);
    }

    private static String sha256(String key) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
