package dev.latchkey.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure no server outlives the app, also when the app is killed with SIGKILL and runs no
 * shutdown hook. A small shell process reads the process groups of the running servers from a
 * pipe only the app holds ({@code +PGID} / {@code -PGID}, one per line). When the app dies, the
 * kernel closes that pipe, the shell reads end-of-file and kills every group it still knows:
 * SIGTERM, then SIGKILL two seconds later. It ignores SIGINT, SIGTERM and SIGHUP, so a Ctrl-C
 * sent to the app's whole process group cannot take it away before it has done its job.
 *
 * <p>Started on the first server start; a group is told to it right after its server is spawned.
 */
final class Watchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    private static final String SCRIPT = """
            trap '' INT TERM HUP
            groups=''
            while IFS= read -r line; do
              case "$line" in
                +*) groups="$groups ${line#+}" ;;
                -*) keep=''; for g in $groups; do [ "$g" = "${line#-}" ] || keep="$keep $g"; done; groups=$keep ;;
              esac
            done
            [ -z "$groups" ] && exit 0
            for g in $groups; do kill -TERM -- "-$g" 2>/dev/null; done
            sleep 2
            for g in $groups; do kill -KILL -- "-$g" 2>/dev/null; done
            exit 0
            """;

    private Process process;
    private OutputStream pipe;

    /** Kills group {@code pgid} when the app dies. */
    synchronized void watch(long pgid) {
        tell("+" + pgid);
    }

    /** The group ended; forget it (its number may be reused). */
    synchronized void forget(long pgid) {
        tell("-" + pgid);
    }

    private void tell(String line) {
        try {
            if (process == null || !process.isAlive()) {
                start();
            }
            pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            pipe.flush();
        } catch (IOException e) {
            LOG.warn("the server watchdog cannot be told about process group {}: {}; if the app is killed,"
                    + " that server may be left running", line.substring(1), e.toString());
        }
    }

    private void start() throws IOException {
        process = new ProcessBuilder("/bin/sh", "-c", SCRIPT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        process.getInputStream().close();
        pipe = process.getOutputStream();
    }

    /** The app is exiting and has stopped its servers: the watchdog ends with nothing to do. */
    @Override
    public synchronized void close() {
        if (process != null) {
            try {
                pipe.close();
            } catch (IOException e) {
                LOG.debug("closing the watchdog pipe failed: {}", e.toString());
            }
            process = null;
        }
    }
}
