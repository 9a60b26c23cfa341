package dev.latchkey.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the install API tests share: a catalog of a no-auth server, an OAuth one and a broken
 * manifest; a backend on it whose OAuth proxy is down, started before each test and closed after;
 * a client of its API.
 */
abstract class InstallApiFixture {

    /** Nothing listens on the discard port: an OAuth proxy that is down. */
    static final String NO_PROXY = "http://127.0.0.1:9";

    /** A no-auth server with one required, one sensitive and one number setting. */
    private static final String NOTES_MANIFEST = """
            {
              "name": "test__notes",
              "display_name": "Test Notes",
              "description": "Notes in a folder.",
              "readme": "extra keys are ignored",
              "server": {"type": "local", "command": "test-notes-mcp", "args": ["${user_config.folder}"],
                         "env": {"NOTES_KEY": "${user_config.api_key}"}},
              "user_config": {
                "folder": {"type": "directory", "title": "Folder", "required": true},
                "api_key": {"type": "string", "title": "API key", "sensitive": true, "required": false},
                "limit": {"type": "number", "title": "Limit", "min": 1, "max": 10, "default": 5}
              }
            }
            """;
    private static final String OAUTH_MANIFEST = """
            {"name": "test__chat", "display_name": "Test Chat",
             "server": {"type": "local", "command": "npx", "args": ["-y", "chat-mcp"]},
             "archestra_config": {"oauth": {"provider": "slack", "required": true}}}
            """;

    @TempDir
    Path dataDir;

    final ObjectMapper json = new ObjectMapper();
    Backend backend;
    ApiClient client;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("catalog/test__notes.json"), NOTES_MANIFEST);
        Files.writeString(dataDir.resolve("catalog/test__chat.json"), OAUTH_MANIFEST);
        Files.writeString(dataDir.resolve("catalog/broken.json"), "{\"name\": \"broken\", ");
        backend = Backend.start(new AppConfig(dataDir, 0, URI.create(NO_PROXY)));
        client = new ApiClient(backend.port(), backend.secret());
    }

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
    }
}
