package dev.latchkey.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.latchkey.AppConfig;
import dev.latchkey.catalog.Catalog;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallStore;
import dev.latchkey.launch.LaunchSpecs;
import dev.latchkey.provider.ProviderRegistry;
import dev.latchkey.sandbox.Limits;
import dev.latchkey.sandbox.Sandbox;
import dev.latchkey.sandbox.SandboxSupport;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The runtime on real parts: an H2 file, the vault, the catalog with the test's own manifests
 * (in the data directory's catalog/), the built-in providers, and real server processes.
 */
final class RuntimeFixture implements AutoCloseable {

    /** No sandbox to be had: servers run bare, as where bubblewrap is missing. */
    static Sandbox bare(Path dataDir) {
        return new Sandbox(() -> new SandboxSupport(null, "no sandbox in this test", false), false, Limits.DEFAULT, dataDir);
    }

    final AppConfig config;
    final Database database;
    final InstallStore store;
    final InstallService installs;
    final InstallEvents events = new InstallEvents();
    final McpRuntime runtime;
    /** Every status an install went through, in order, as told on the event stream. */
    final List<Install> changes = new CopyOnWriteArrayList<>();

    RuntimeFixture(Path dataDir, RuntimeSettings settings, Map<String, String> appEnv) {
        this(dataDir, settings, appEnv, null);
    }

    /** @param sandbox how servers are confined; null: as the app does it ({@link Sandbox#forApp}) */
    RuntimeFixture(Path dataDir, RuntimeSettings settings, Map<String, String> appEnv, Sandbox sandbox) {
        config = AppConfig.of(dataDir);
        database = Database.open(dataDir);
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        store = new InstallStore(database, SecretVault.open(dataDir), json, Clock.systemUTC());
        Catalog catalog = Catalog.load(config.userCatalogDir());
        if (!catalog.problems().isEmpty()) {
            throw new IllegalStateException("test manifests do not load: " + catalog.problems());
        }
        events.subscribe(event -> {
            if (event instanceof InstallEvent.Changed changed) {
                changes.add(changed.install());
            }
        });
        installs = new InstallService(catalog, store, events, Clock.systemUTC());
        LaunchSpecs specs = new LaunchSpecs(catalog, ProviderRegistry.load(config.userProvidersDir()), store,
                config::installDir);
        runtime = sandbox == null ? new McpRuntime(config, installs, specs, events, settings, appEnv, Clock.systemUTC())
                : new McpRuntime(config, installs, specs, events, settings, appEnv, Clock.systemUTC(), sandbox);
    }

    /** Short waits, so that crash loops and time limits finish within a test. */
    static RuntimeSettings quick() {
        return new RuntimeSettings(Duration.ofSeconds(30), Duration.ofSeconds(30),
                List.of(Duration.ofMillis(100), Duration.ofMillis(200)), Duration.ofMinutes(1), Duration.ofSeconds(2));
    }

    /** Writes a manifest into the user catalog; call before the fixture is made. */
    static void manifest(Path dataDir, String name, String json) {
        try {
            Files.createDirectories(dataDir.resolve("catalog"));
            Files.writeString(dataDir.resolve("catalog").resolve(name + ".json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the install has {@code status}; fails with every status it went through. */
    Install await(String id, InstallStatus status, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            Install install = installs.find(id).orElseThrow();
            if (install.status() == status) {
                return install;
            }
            if (install.status() == InstallStatus.FAILED) {
                // The runtime's own word: it gave up (start timeout, restarts spent); waiting longer changes nothing.
                break;
            }
            sleep(50);
        }
        throw new AssertionError("install " + id + " did not become " + status.wireName() + " (within " + limit + ")"
                + "; it went through " + statuses(id) + "; its log:\n" + String.join("\n", runtime.log(id, 40)));
    }

    /** The statuses (with reasons) an install went through, in order. */
    List<String> statuses(String id) {
        return changes.stream().filter(install -> install.id().equals(id))
                .map(install -> install.status().wireName() + ": " + install.statusReason()).toList();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        runtime.close();
        database.close();
    }
}
