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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs and uninstalls catalog servers: checks a request against the catalog, stores it, and
 * tells the event stream. Knows nothing of HTTP.
 */
public final class InstallService {

    private static final Logger LOG = LoggerFactory.getLogger(InstallService.class);

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

    /**
     * Installs a catalog server that needs no sign-in; a request the catalog does not allow is
     * refused and nothing is stored. Sign-in installs start with {@link #installPending}.
     */
    public Install install(InstallRequest request) {
        if (request.auth() != AuthMethod.NONE) {
            throw new IllegalArgumentException("install() stores a no-sign-in install; one by "
                    + request.auth().wireName() + " starts with installPending and its sign-in");
        }
        return store(check(request), request, InstallStatus.CONNECTED, READY, BesideRows.NONE);
    }

    /**
     * Stores an install that waits for its sign-in ({@code pending_auth}, with {@code reason}); the
     * sign-in flows (OAuth, browser login) call this, then start their flow for it.
     */
    public Install installPending(InstallRequest request, String reason) {
        return installPending(request, reason, BesideRows.NONE);
    }

    /** As {@link #installPending(InstallRequest, String)}, storing {@code beside}'s rows in the install's transaction. */
    public Install installPending(InstallRequest request, String reason, BesideRows beside) {
        return store(check(request), request, InstallStatus.PENDING_AUTH, reason, beside);
    }

    /**
     * Installs a server that no catalog lists (a remote server added by its URL), with no settings,
     * waiting in {@code pending_auth}; {@code beside} stores where it is, in the install's transaction.
     */
    public Install installUnlisted(String catalogName, String displayName, String reason, BesideRows beside) {
        Instant now = clock.instant();
        Install install = new Install(UUID.randomUUID().toString(), catalogName, displayName, AuthMethod.NONE, null,
                InstallStatus.PENDING_AUTH, reason, null, Map.of(), now, now);
        store.insert(install, Map.of(), Map.of(), beside);
        Install stored = store.find(install.id()).orElseThrow();
        events.publish(new InstallEvent.Changed(stored));
        return stored;
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

    private Install store(CatalogServer server, InstallRequest request, InstallStatus status, String reason,
            BesideRows beside) {
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
                request.auth(), null, status, reason, null, Map.of(), now, now, request.network(), null);
        store.insert(install, plain, sensitive, beside);
        Install stored = store.find(install.id()).orElseThrow();
        events.publish(new InstallEvent.Changed(stored));
        return stored;
    }

    /** The install as stored now. */
    public Optional<Install> find(String id) {
        return store.find(id);
    }

    /** Moves an install to {@code status} from wherever the {@link Lifecycle} allows; see {@link #transition(String, Transition)}. */
    public StatusChange transition(String id, InstallStatus status, String reason) {
        return transition(id, Transition.to(status, reason));
    }

    /**
     * Moves an install as {@code change} asks, only from the statuses it may come from (and, for a
     * check, only while the credentials it tested are still stored). Applied, the UI hears of it
     * and the audit log keeps it; refused, nothing changes and the answer says what the install is now.
     *
     * @throws InstallRefusedException NOT_FOUND when there is no such install
     */
    public StatusChange transition(String id, Transition change) {
        InstallStore.Moved moved = store.transition(id, change);
        if (moved == InstallStore.Moved.NOT_FOUND) {
            throw notFound(id);
        }
        Install now = store.find(id).orElseThrow(() -> notFound(id));
        if (moved == InstallStore.Moved.APPLIED) {
            events.publish(new InstallEvent.Changed(now));
            return new StatusChange.Applied(now);
        }
        String why = moved == InstallStore.Moved.CREDENTIALS_CHANGED
                ? "its credentials changed since they were checked"
                : "it is " + now.status().wireName() + ", and " + change.to().wireName() + " does not follow that";
        LOG.info("install {} stays {}: {} refused, {}", id, now.status().wireName(), change.to().wireName(), why);
        return new StatusChange.Refused(now, why);
    }

    /**
     * A sign-in that did not finish: the install goes back to {@code status} from {@code pending_auth};
     * with no status (it was left as it was), or when it has moved on meanwhile, it only shows
     * {@code reason}. Nothing happens to an install uninstalled meanwhile.
     */
    public void signInUnfinished(String id, InstallStatus status, String reason) {
        try {
            if (status == null || !transition(id, Transition.to(status, reason)
                    .onlyFrom(InstallStatus.PENDING_AUTH, status)).applied()) {
                note(id, reason);
            }
        } catch (InstallRefusedException e) {
            // uninstalled while the sign-in ran: nothing left to tell
        }
    }

    /** Records whether its server starts confined; the status change that follows tells the UI. */
    public void sandboxed(String id, boolean sandboxed) {
        store.sandboxed(id, sandboxed);
    }

    /** Changes only the reason an install shows, keeping whatever status it has now; the UI hears of it. */
    public Install note(String id, String reason) {
        if (!store.note(id, reason)) {
            throw notFound(id);
        }
        Install now = store.find(id).orElseThrow(() -> notFound(id));
        events.publish(new InstallEvent.Changed(now));
        return now;
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
