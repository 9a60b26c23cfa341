package dev.latchkey.gateway;

import dev.latchkey.gateway.ClientRefusedException.Reason;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallService;
import dev.latchkey.store.Database;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The MCP clients that may use the gateway: made with a token shown once, limited to some
 * installs or not, revoked. Knows nothing of HTTP or MCP.
 *
 * <p>Every request to the gateway carries a token, so a verified token is remembered (by its
 * hash) until any client is revoked, limited or given a new token: such a change takes effect
 * with the next request.
 */
public final class ClientService {

    /** A client just made, with the token that is shown this once and never again. */
    public record IssuedClient(GatewayClient client, String token) {

        @Override
        public String toString() {
            return "IssuedClient[" + client + ", token=…]";
        }
    }

    private static final int MAX_NAME = 200;

    private final ClientStore store;
    private final InstallService installs;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Verified clients by token hash; emptied, and {@link #changes} counted up, by every change to a client. */
    private final Map<String, GatewayClient> verified = new ConcurrentHashMap<>();
    private long changes;

    public ClientService(Database database, InstallService installs, Clock clock) {
        this.store = new ClientStore(database, clock);
        this.installs = installs;
        this.clock = clock;
    }

    /** Runs {@code listener} after a client is revoked or its installs change (what it may see changed). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Makes a client. {@code installIds} null means every install, now and later; a set limits the
     * client to those installs.
     */
    public IssuedClient create(String name, String kind, Set<String> installIds) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME) {
            throw new ClientRefusedException(Reason.INVALID, "a client needs a name of 1 to " + MAX_NAME + " characters", "name");
        }
        checkInstalls(installIds);
        String token = ClientToken.generate();
        GatewayClient client = new GatewayClient(UUID.randomUUID().toString(), trimmed, kind, installIds == null,
                installIds == null ? Set.of() : installIds, clock.instant(), null, null, 0);
        store.insert(client, ClientToken.hash(token));
        return new IssuedClient(store.find(client.id()).orElseThrow(), token);
    }

    public List<GatewayClient> list() {
        return store.list();
    }

    public GatewayClient find(String id) {
        return store.find(id).orElseThrow(() -> notFound(id));
    }

    /** Revokes a client: its token is refused from now on. Revoking twice is not an error. */
    public GatewayClient revoke(String id) {
        GatewayClient client = find(id);
        if (store.revoke(id)) {
            forgetVerified();
            listeners.forEach(Runnable::run);
        }
        return store.find(client.id()).orElseThrow();
    }

    /** Limits a client to some installs ({@code installIds} null = every install). */
    public GatewayClient limit(String id, Set<String> installIds) {
        checkInstalls(installIds);
        if (!store.limit(id, installIds == null, installIds == null ? Set.of() : installIds)) {
            throw notFound(id);
        }
        forgetVerified();
        listeners.forEach(Runnable::run);
        return find(id);
    }

    /** The client a token belongs to, if it is one and not revoked. */
    public Optional<GatewayClient> authenticate(String token) {
        if (token == null || !token.startsWith(ClientToken.PREFIX)) {
            return Optional.empty();
        }
        String hash = ClientToken.hash(token);
        GatewayClient known = verified.get(hash);
        if (known != null) {
            return Optional.of(known);
        }
        long changesBefore = changesSoFar();
        Optional<GatewayClient> found = store.findByTokenHash(hash).filter(client -> !client.revoked());
        found.ifPresent(client -> remember(hash, client, changesBefore));
        return found;
    }

    /** Counts tools/calls and writes their audit rows (never arguments or results), in one transaction. */
    void recordCalls(List<CallLog.Call> calls) {
        store.recordCalls(calls);
    }

    /**
     * A new token for the one client of {@code kind} (made, named {@code name}, when there is none):
     * for the stdio bridge, whose token is written anew at every start because only its hash is kept.
     */
    public String renewToken(String kind, String name) {
        Optional<GatewayClient> existing = store.findActiveByKind(kind);
        if (existing.isEmpty()) {
            return create(name, kind, null).token();
        }
        String token = ClientToken.generate();
        store.replaceToken(existing.get().id(), ClientToken.hash(token));
        forgetVerified();
        return token;
    }

    private synchronized long changesSoFar() {
        return changes;
    }

    /** Remembers a verified client unless a client changed since it was read (it may be stale). */
    private synchronized void remember(String hash, GatewayClient client, long changesBefore) {
        if (changes == changesBefore) {
            verified.put(hash, client);
        }
    }

    private synchronized void forgetVerified() {
        changes++;
        verified.clear();
    }

    private void checkInstalls(Set<String> installIds) {
        if (installIds == null) {
            return;
        }
        Set<String> known = installs.list().stream().map(Install::id).collect(Collectors.toSet());
        for (String id : installIds) {
            if (!known.contains(id)) {
                throw new ClientRefusedException(Reason.INVALID, "no install has the id \"" + id + "\"", "installs");
            }
        }
    }

    private static ClientRefusedException notFound(String id) {
        return new ClientRefusedException(Reason.NOT_FOUND, "no client has the id \"" + id + "\"", null);
    }
}
