package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.gateway.GatewayFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code latchkey mcp} and {@code latchkey connect} say when there is no app to talk to. */
class ClientCommandsTest {

    @TempDir
    Path dataDir;

    private static String stderrOf(IntSupplier command, int[] exit) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit[0] = command.getAsInt();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void mcp_without_a_running_app_says_so_and_how_to_start_it() {
        int[] exit = new int[1];
        String said = stderrOf(() -> ClientCommands.mcp(dataDir), exit);

        assertThat(exit[0]).isEqualTo(1);
        assertThat(said).isEqualTo("latchkey mcp: Latchkey is not running on data directory " + dataDir
                + " (no gateway.json); start it with ./latchkey, then connect again" + System.lineSeparator());
    }

    @Test
    void mcp_with_a_stale_gateway_file_says_nothing_answers() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        new GatewayFile(port, "lkc_stale").write(dataDir);
        int[] exit = new int[1];

        String said = stderrOf(() -> ClientCommands.mcp(dataDir), exit);

        assertThat(exit[0]).isEqualTo(1);
        assertThat(said).isEqualTo("latchkey mcp: Latchkey is not running on data directory " + dataDir
                + " (nothing answers at http://127.0.0.1:" + port + "/mcp, which its gateway.json names); start it"
                + " with ./latchkey, then start this client again" + System.lineSeparator());
    }

    @Test
    void connect_names_the_clients_it_knows() {
        int[] exit = new int[1];
        String said = stderrOf(() -> ClientCommands.connect(dataDir, List.of("emacs")), exit);

        assertThat(exit[0]).isEqualTo(2);
        assertThat(said).contains("claude-desktop, cursor, vscode, claude-code");
    }

    @Test
    void connect_without_a_running_app_says_so() {
        int[] exit = new int[1];
        String said = stderrOf(() -> ClientCommands.connect(dataDir, List.of("cursor")), exit);

        assertThat(exit[0]).isEqualTo(1);
        assertThat(said).contains("Latchkey is not running on data directory " + dataDir);
    }
}
