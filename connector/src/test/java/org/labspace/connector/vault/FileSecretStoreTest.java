package org.labspace.connector.vault;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSecretStoreTest {

    @TempDir
    Path dir;

    @Test
    void secrets_surviveReopening_withOwnerOnlyPermissions() throws Exception {
        var vaultDir = dir.resolve("vault");
        var store = new FileSecretStore(vaultDir);
        store.put("edr--transfer:1/token", "eyJhbGciOi...");

        var reopened = new FileSecretStore(vaultDir);
        assertThat(reopened.get("edr--transfer:1/token")).isEqualTo("eyJhbGciOi...");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vaultDir))).isEqualTo("rwx------");
        try (var files = Files.list(vaultDir)) {
            assertThat(files).singleElement().satisfies(f ->
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------"));
        }
    }

    @Test
    void put_replacesWithoutLeavingTemporaryFiles() throws Exception {
        var store = new FileSecretStore(dir.resolve("vault"));
        store.put("k", "one");
        store.put("k", "two");
        assertThat(store.get("k")).isEqualTo("two");
        try (var files = Files.list(dir.resolve("vault"))) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void delete_andMissingKeys() {
        var store = new FileSecretStore(dir.resolve("vault"));
        assertThat(store.get("absent")).isNull();
        assertThat(store.delete("absent")).isFalse();
        store.put("k", "v");
        assertThat(store.delete("k")).isTrue();
        assertThat(store.get("k")).isNull();
    }

    @Test
    void keys_thatLookLikePaths_orAreVeryLong_stayInTheVault() {
        var store = new FileSecretStore(dir.resolve("vault"));
        store.put("../../etc/passwd", "a");
        var longKey = "x".repeat(1000);
        store.put(longKey, "b");
        assertThat(store.get("../../etc/passwd")).isEqualTo("a");
        assertThat(store.get(longKey)).isEqualTo("b");
        assertThat(dir.resolve("etc")).doesNotExist();
    }

    @Test
    void open_refusesADirectoryOthersCanRead() throws Exception {
        var open = Files.createDirectory(dir.resolve("open"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThatThrownBy(() -> new FileSecretStore(open)).hasMessageContaining("readable by others").hasMessageContaining("chmod 700");
    }

    @Test
    void dataTokenKeys_areGeneratedOnce() {
        var store = new FileSecretStore(dir.resolve("vault"));
        assertThat(DataTokenKeys.ensure(store, "priv", "pub")).isTrue();
        var first = store.get("priv");
        assertThat(first).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(store.get("pub")).startsWith("-----BEGIN PUBLIC KEY-----");

        assertThat(DataTokenKeys.ensure(new FileSecretStore(dir.resolve("vault")), "priv", "pub")).isFalse();
        assertThat(store.get("priv")).isEqualTo(first);
    }
}
