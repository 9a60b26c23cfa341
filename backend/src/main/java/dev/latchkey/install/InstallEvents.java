package dev.latchkey.install;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells every subscriber (the UI's event streams) about install changes, in the order they happen. */
public final class InstallEvents {

    private static final Logger LOG = LoggerFactory.getLogger(InstallEvents.class);

    private final List<Consumer<InstallEvent>> subscribers = new CopyOnWriteArrayList<>();

    /** Adds a subscriber; running the returned action removes it. */
    public Runnable subscribe(Consumer<InstallEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public void publish(InstallEvent event) {
        for (Consumer<InstallEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                // One broken stream must not keep the others from hearing; a closed one unsubscribes itself.
                LOG.warn("an install event subscriber failed on {}", event.getClass().getSimpleName(), e);
            }
        }
    }
}
