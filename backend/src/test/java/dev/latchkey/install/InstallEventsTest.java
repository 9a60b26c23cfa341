package dev.latchkey.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event stream: one failing subscriber is logged at WARN with its cause, and the others still hear. */
class InstallEventsTest {

    @Test
    void a_failing_subscriber_is_logged_at_warn_with_the_cause_and_the_others_still_hear() {
        InstallEvents events = new InstallEvents();
        List<InstallEvent> heard = new ArrayList<>();
        events.subscribe(event -> {
            throw new IllegalStateException("the stream of tab 3 is broken");
        });
        events.subscribe(heard::add);
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            events.publish(new InstallEvent.Removed("i-1"));
        } finally {
            System.setErr(err);
        }

        assertThat(heard).containsExactly(new InstallEvent.Removed("i-1"));
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("WARN dev.latchkey.install.InstallEvents - an install event subscriber failed on Removed")
                .contains("java.lang.IllegalStateException: the stream of tab 3 is broken");
    }
}
