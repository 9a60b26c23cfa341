package dev.latchkey.install;

import dev.latchkey.catalog.Catalog;
import dev.latchkey.catalog.CatalogServer;
import dev.latchkey.catalog.SealedSetting;
import dev.latchkey.catalog.UserConfig;
import dev.latchkey.install.InstallRefusedException.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Installs and uninstalls catalog servers: checks a request against the catalog, stores it, and
 * tells the event stream. Knows nothing of HTTP.
 */
public final class InstallService {

    /** A no-sign-in install is stored {@code connected}: it has all it needs, and the MCP runtime starts it. */
    static final String READY = "Installed; its MCP server starts now.";

    private final Catalog catalog;
    private final InstallStore store;
    private final InstallEvents events;
    private final Clock clock;

    public InstallService(Catalog catalog, InstallStore store, InstallEvents events, Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    public List<Install> list() {
        return store.list();
    }

    /** One install, with sensitive settings masked; refused as not found for an unknown id. */
    public Install get(String id) {
        return store.find(id).orElseThrow(() -> notFound(id));
    }

    /** Installs a catalog server; a request the catalog does not allow is refused and nothing is stored. */
    public Install install(InstallRequest request) {
        CatalogServer server = check(request);
        if (request.auth() != AuthMethod.NONE) {
            throw new InstallRefusedException(Reason.NOT_IMPLEMENTED, (request.auth() == AuthMethod.OAUTH
                    ? "Connecting by OAuth" : "Connecting by browser login") + " is not available in this version yet");
        }
        return store(server, request, InstallStatus.CONNECTED, READY);
    }

    /**
     * Stores an install that waits for its sign-in ({@code pending_auth}, with {@code reason}); the
     * sign-in flows (OAuth, browser login) call this, then start their flow for it.
     */
    public Install installPending(InstallRequest request, String reason) {
        return store(check(request), request, InstallStatus.PENDING_AUTH, reason);
    }

    /** The catalog server of a request the catalog allows; otherwise the rule it breaks. */
    public CatalogServer check(InstallRequest request) {
        CatalogServer server = catalog.find(request.catalogName()).orElseThrow(() -> new InstallRefusedException(
                Reason.UNKNOWN_CATALOG_SERVER, "no catalog server is named \"" + request.catalogName() + "\""));
        if (!server.runnable()) {
            throw new InstallRefusedException(Reason.NOT_RUNNABLE,
                    server.displayName() + " cannot be installed: " + server.problem());
        }
        String auth = request.auth().wireName();
        if (!server.auth().contains(auth)) {
            throw new InstallRefusedException(Reason.UNSUPPORTED_AUTH, server.displayName() + " connects by "
                    + String.join(" or ", server.auth()) + ", not by " + auth);
        }
        return server;
    }

    private Install store(CatalogServer server, InstallRequest request, InstallStatus status, String reason) {
        Map<String, Object> values = UserConfig.validate(server, request.userConfig());
        Map<String, Object> plain = new LinkedHashMap<>();
        Map<String, String> sensitive = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (server.isSensitive(key)) {
                sensitive.put(key, SealedSetting.text(value));
            } else {
                plain.put(key, value);
            }
        });
        Instant now = clock.instant();
        Install install = new Install(UUID.randomUUID().toString(), server.name(), server.displayName(),
                request.auth(), null, status, reason, null, Map.of(), now, now);
        store.insert(install, plain, sensitive);
        Install stored = store.find(install.id()).orElseThrow();
        events.publish(new InstallEvent.Changed(stored));
        return stored;
    }

    /** The install as stored now. */
    public Optional<Install> find(String id) {
        return store.find(id);
    }

    /** Moves an install to {@code status}; the UI hears of it and the audit log keeps it. */
    public Install setStatus(String id, InstallStatus status, String reason) {
        if (!store.updateStatus(id, status, reason)) {
            throw notFound(id);
        }
        Install changed = store.find(id).orElseThrow();
        events.publish(new InstallEvent.Changed(changed));
        return changed;
    }

    /**
     * Stores new credentials for an install, replacing the old ones atomically, and tells whoever
     * runs its server ({@link InstallEvent.CredentialsChanged}); the install's status is the caller's to set.
     */
    public void saveCredentials(String id, Credentials credentials, InstallEvent.CredentialsChanged.Why why) {
        store.saveCredentials(id, credentials, why.name().toLowerCase(java.util.Locale.ROOT));
        events.publish(new InstallEvent.CredentialsChanged(id, why));
    }

    /**
     * {@link #saveCredentials}, but only while the stored credentials are still {@code expected};
     * false, and nothing stored or told, when a sign-in replaced them meanwhile.
     */
    public boolean replaceCredentials(String id, Credentials expected, Credentials credentials,
            InstallEvent.CredentialsChanged.Why why) {
        if (!store.replaceCredentials(id, expected, credentials, why.name().toLowerCase(java.util.Locale.ROOT))) {
            return false;
        }
        events.publish(new InstallEvent.CredentialsChanged(id, why));
        return true;
    }

    /** Uninstalls: the install, its settings, connection and secrets go in one transaction. */
    public void uninstall(String id) {
        if (!store.delete(id)) {
            throw notFound(id);
        }
        events.publish(new InstallEvent.Removed(id));
    }

    private static InstallRefusedException notFound(String id) {
        return new InstallRefusedException(Reason.NOT_FOUND, "no install has the id \"" + id + "\"");
    }
}
