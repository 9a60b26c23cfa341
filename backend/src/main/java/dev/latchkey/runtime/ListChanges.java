package dev.latchkey.runtime;

import io.modelcontextprotocol.client.McpClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whoever listens that a server said one of its lists changed: its
 * {@code notifications/tools/list_changed}, {@code prompts/list_changed} or
 * {@code resources/list_changed}. Only the fact is passed on; the listener lists again itself, with
 * its own time limit.
 */
public final class ListChanges {

    private static final Logger LOG = LoggerFactory.getLogger(ListChanges.class);

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Hears the client's change notifications through {@code spec}; returns the same spec. */
    public McpClient.SyncSpec wire(McpClient.SyncSpec spec) {
        return spec.toolsChangeConsumer(tools -> changed())
                .promptsChangeConsumer(prompts -> changed())
                .resourcesChangeConsumer(resources -> changed());
    }

    /** Runs {@code listener} on every change from now on; running the returned action stops that. */
    public Runnable subscribe(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** One of the server's lists changed. */
    public void changed() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("a listener of a server's list changes failed", e);
            }
        }
    }
}
