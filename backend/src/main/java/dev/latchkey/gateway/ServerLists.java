package dev.latchkey.gateway;

import dev.latchkey.runtime.RunningServers.RunningServer;
import dev.latchkey.runtime.ToolPages;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each running server lists, kept per server: its tools as it listed them at start, its
 * prompts, resources and resource templates asked for once it is seen, and all four asked for
 * again when it says one of them changed ({@code list_changed}). Each server is asked on a thread
 * of its own, within {@link #LIST_TIMEOUT}: a server that does not answer keeps what it listed
 * before and delays no other. {@code changed} is told whenever a server's lists came in.
 */
final class ServerLists implements AutoCloseable {

    /** How long a server may take to answer one list request. */
    static final Duration LIST_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ServerLists.class);

    /** One server's lists. */
    record Lists(List<McpSchema.Tool> tools, List<McpSchema.Prompt> prompts, List<McpSchema.Resource> resources,
            List<McpSchema.ResourceTemplate> templates) {
    }

    /** One server as followed here; a new process of the same install is a new entry. */
    private final class Entry {
        final RunningServer server;
        final Runnable unsubscribe;
        volatile Lists lists;
        boolean fetching;
        boolean again;

        Entry(RunningServer server, Lists lists) {
            this.server = server;
            this.lists = lists;
            this.unsubscribe = server.changes().subscribe(() -> fetch(this, true));
        }
    }

    private final Runnable changed;
    private final Duration timeout;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ExecutorService askers = Executors.newCachedThreadPool(Gateway.daemon("latchkey-gateway-list"));

    ServerLists(Runnable changed, Duration timeout) {
        this.changed = changed;
        this.timeout = timeout;
    }

    /**
     * Follows exactly {@code running}: a server seen the first time gets its lists asked for (until
     * they come, it offers its start-time tools and what the same install's last process offered).
     */
    synchronized void follow(List<RunningServer> running) {
        Set<String> ids = running.stream().map(RunningServer::installId).collect(Collectors.toSet());
        for (String id : List.copyOf(entries.keySet())) {
            if (!ids.contains(id)) {
                entries.remove(id).unsubscribe.run();
            }
        }
        for (RunningServer server : running) {
            Entry old = entries.get(server.installId());
            if (old != null && old.server.client() == server.client()) {
                continue;
            }
            Lists start = new Lists(server.tools(), old == null ? List.of() : old.lists.prompts(),
                    old == null ? List.of() : old.lists.resources(), old == null ? List.of() : old.lists.templates());
            if (old != null) {
                old.unsubscribe.run();
            }
            Entry entry = new Entry(server, start);
            entries.put(server.installId(), entry);
            fetch(entry, false);
        }
    }

    /** The lists of an install's server as known now; empty lists for a server not followed. */
    Lists of(String installId) {
        Entry entry = entries.get(installId);
        return entry == null ? new Lists(List.of(), List.of(), List.of(), List.of()) : entry.lists;
    }

    /** Asks the server for its lists, once at a time; a change told meanwhile asks again after. */
    private void fetch(Entry entry, boolean withTools) {
        synchronized (entry) {
            if (entry.fetching) {
                entry.again = true;
                return;
            }
            entry.fetching = true;
        }
        askers.execute(() -> ask(entry, withTools));
    }

    private void ask(Entry entry, boolean withTools) {
        boolean again;
        try {
            RunningServer one = entry.server;
            Lists before = entry.lists;
            entry.lists = new Lists(
                    withTools ? list(one, "tools", c -> c.tools() != null, ToolPages::all, before.tools()) : before.tools(),
                    list(one, "prompts", c -> c.prompts() != null, client -> client.listPrompts().prompts(), before.prompts()),
                    list(one, "resources", c -> c.resources() != null, client -> client.listResources().resources(),
                            before.resources()),
                    list(one, "resource templates", c -> c.resources() != null,
                            client -> client.listResourceTemplates().resourceTemplates(), before.templates()));
        } finally {
            synchronized (entry) {
                entry.fetching = false;
                again = entry.again;
                entry.again = false;
            }
        }
        if (entries.get(entry.server.installId()) == entry) {
            changed.run();
        }
        if (again) {
            fetch(entry, true);
        }
    }

    /** What a server lists of one kind within the time limit; on no answer, what it listed before. */
    private <T> List<T> list(RunningServer one, String what, Predicate<McpSchema.ServerCapabilities> offers,
            Function<McpSyncClient, List<T>> lister, List<T> before) {
        McpSchema.ServerCapabilities capabilities = one.client().getServerCapabilities();
        if (capabilities == null || !offers.test(capabilities)) {
            return List.of();
        }
        Future<List<T>> answer = askers.submit(() -> lister.apply(one.client()));
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{}: its {} were not listed within {} s; the gateway keeps what it listed before",
                    one.displayName(), what, timeout.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("{}: its {} could not be listed: {}", one.displayName(), what, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            answer.cancel(true);
        }
        return before;
    }

    @Override
    public void close() {
        entries.values().forEach(entry -> entry.unsubscribe.run());
        entries.clear();
        askers.shutdownNow();
    }
}
