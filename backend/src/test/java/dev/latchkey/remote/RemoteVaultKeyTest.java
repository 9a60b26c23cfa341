package dev.latchkey.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.MissingVaultKey;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up check of the vault key counts the client secrets of remote servers' authorization
 * servers ({@code remote_clients}) too: a data directory whose only sealed value is one of them
 * refuses to start without its key, rather than make a new key that would never open it.
 */
class RemoteVaultKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void a_lost_key_beside_a_sealed_remote_client_secret_stops_start_up_and_the_restored_key_opens_it() throws Exception {
        Backend.start(AppConfig.of(dataDir)).close();
        URI issuer = URI.create("https://as.example.com");
        try (Database database = Database.open(dataDir)) {
            new RemoteStore(database, SecretVault.open(dataDir), Clock.systemUTC())
                    .save(issuer, new RemoteClient("client-1", "the-client-secret", "client_secret_basic"));
        }
        MissingVaultKey.refusesToStart(dataDir, 1);

        Backend.start(AppConfig.of(dataDir)).close();
        try (Database database = Database.open(dataDir)) {
            assertThat(new RemoteStore(database, SecretVault.open(dataDir), Clock.systemUTC()).find(issuer))
                    .hasValueSatisfying(client -> assertThat(client.clientSecret()).isEqualTo("the-client-secret"));
        }
    }
}
