package dev.latchkey.e2e.jcef;

import dev.latchkey.NpmTools;
import dev.latchkey.qa.StandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * "Acme", a service with a browser login, for the JCEF flows: its HTTPS stand-in from
 * {@code src/test/resources/acme-site} (sign-in page with the hostile parts, home page setting
 * the HttpOnly {@code session} cookie, and {@code evil.acme-evil.test}, which must never be asked),
 * the provider {@value #PROVIDER} and two catalog servers written into the app's data dir, both
 * the real {@code server-everything} from npm-tools: {@value #NOTES} (browser login, the session
 * handed over as {@code ACME_SESSION}) and {@value #LOCAL} (no sign-in).
 *
 * <p>A flow serves the stand-in for its whole class: {@code @RegisterExtension static final
 * AcmeSite.Served acme = new AcmeSite.Served();} and {@code .args(acme::switches)}.
 */
final class AcmeSite {

    static final String PROVIDER = "acme-browser";
    static final String NOTES = "acme__notes";
    static final String NOTES_TITLE = "Acme Notes";
    static final String LOCAL = "acme__everything";
    static final String LOCAL_TITLE = "Everything (QA)";
    static final String LOGIN_HOST = "login.acme.test";
    static final String EVIL_HOST = "evil.acme-evil.test";
    static final String PASSWORD = "correct horse";

    private AcmeSite() {
    }

    static StandIn start() throws Exception {
        return StandIn.serve(Path.of("src/test/resources/acme-site"));
    }

    /** Acme's stand-in served from before a test class's first test until after its last. */
    static final class Served implements BeforeAllCallback, AfterAllCallback {

        private StandIn site;

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            site = start();
        }

        @Override
        public void afterAll(ExtensionContext context) {
            site.close();
        }

        /** The app's QA switches pointing Acme's hosts at the stand-in. */
        List<String> switches() {
            return site.switches();
        }

        /** What {@code host} was asked so far ("GET /signin"). */
        List<String> requests(String host) {
            return site.requests(host);
        }
    }

    /** Writes the provider and the two catalog servers into {@code dataDir}. */
    static void install(Path dataDir) throws IOException {
        Files.createDirectories(dataDir.resolve("providers"));
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("providers").resolve(PROVIDER + ".json"), """
                {"name": "%s", "displayName": "Acme (browser login)",
                 "browserAuth": {
                   "loginUrl": "https://%s/signin",
                   "allowedHosts": ["%s"],
                   "readyWhen": "^https://login\\\\.acme\\\\.test/home",
                   "extract": {"session": {"cookie": "session", "domain": ".%s"}},
                   "timeoutSeconds": 120},
                 "tokenEnvVarPattern": {"session": "ACME_SESSION"}}
                """.formatted(PROVIDER, LOGIN_HOST, LOGIN_HOST, LOGIN_HOST));
        String everything = NpmTools.everything().toString();
        Files.writeString(dataDir.resolve("catalog").resolve(NOTES + ".json"), """
                {"name": "%s", "display_name": "%s", "description": "Acme's notes, through your signed-in session.",
                 "server": {"type": "local", "command": "node", "args": ["%s", "stdio"], "env": {}},
                 "user_config": {},
                 "archestra_config": {"oauth": {"provider": null, "required": false},
                                      "browser_based": {"required": true, "provider": "%s"}}}
                """.formatted(NOTES, NOTES_TITLE, everything, PROVIDER));
        Files.writeString(dataDir.resolve("catalog").resolve(LOCAL + ".json"), """
                {"name": "%s", "display_name": "%s", "description": "The MCP test server, nothing to sign in to.",
                 "server": {"type": "local", "command": "node", "args": ["%s", "stdio"],
                            "env": {"EVERYTHING_NOTE": "${user_config.note}"}},
                 "user_config": {"note": {"type": "string", "title": "Note", "required": true,
                                          "description": "Any text; the server gets it as EVERYTHING_NOTE."}},
                 "archestra_config": {"oauth": {"provider": null, "required": false}}}
                """.formatted(LOCAL, LOCAL_TITLE, everything));
    }
}
