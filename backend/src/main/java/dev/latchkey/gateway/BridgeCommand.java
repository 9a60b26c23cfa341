package dev.latchkey.gateway;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code latchkey mcp} as a command: the stdio bridge on the app running on a data directory, and
 * the one sentence for the user when it cannot start. stdout belongs to MCP, so every word goes to
 * {@code err}; the token is never in one of them.
 */
public final class BridgeCommand {

    private BridgeCommand() {
    }

    /**
     * Serves {@code in}/{@code out} through the gateway of the app on {@code dataDir} with {@code token}
     * (null: the bridge's own from {@code gateway.json}) until {@code in} ends; the exit status.
     */
    public static int run(Path dataDir, String token, InputStream in, OutputStream out, PrintStream err) {
        Optional<GatewayFile> file = GatewayFile.read(dataDir);
        if (file.isEmpty()) {
            err.println("latchkey mcp: Latchkey is not running on data directory " + dataDir
                    + " (no " + GatewayFile.NAME + "); start it with ./latchkey, then connect again");
            return 1;
        }
        try {
            StdioBridge.run(StdioBridge.endpoints(dataDir, token), in, out);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (TokenRefusedException e) {
            err.println("latchkey mcp: Latchkey refused this client's token: it was removed or replaced. Connect the"
                    + " client again from the Connectors page (MCP clients → Connect…).");
            return 1;
        } catch (RuntimeException e) {
            err.println(nobodyAnswers(e)
                    ? "latchkey mcp: Latchkey is not running on data directory " + dataDir + " (nothing answers at "
                            + file.get().url() + ", which its " + GatewayFile.NAME + " names); start it with ./latchkey,"
                            + " then start this client again"
                    : "latchkey mcp: cannot use the gateway at " + file.get().url() + ": " + e.getMessage()
                            + ". Start Latchkey again with ./latchkey, then this client");
            return 1;
        }
    }

    private static boolean nobodyAnswers(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
