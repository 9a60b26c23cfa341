package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The vault key of a data dir taken away: the app refuses to start, and starts again once it is back. */
public final class MissingVaultKey {

    private MissingVaultKey() {
    }

    /**
     * Moves {@code dataDir}'s vault key aside, checks that the app then refuses to start naming
     * the {@code sealed} secrets the database holds without creating a new key, and puts it back.
     */
    public static void refusesToStart(Path dataDir, int sealed) throws IOException {
        Path key = dataDir.resolve("vault.key");
        Path aside = Files.move(key, dataDir.resolveSibling(dataDir.getFileName() + "-vault.key"));

        assertThatThrownBy(() -> Backend.start(AppConfig.of(dataDir)))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("the vault key " + key + " is missing, but the database holds "
                        + sealed + " secret" + (sealed == 1 ? "" : "s") + " sealed with it");
        assertThat(key).doesNotExist();

        Files.move(aside, key);
    }
}
