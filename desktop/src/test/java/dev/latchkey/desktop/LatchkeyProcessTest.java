package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.definition.SourceFiles;
import dev.latchkey.store.InstanceFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a user runs it: a separate JVM, its output, its exit code. A hung app fails its
 * test at the timeout (the test runs on a thread of its own), and every app is killed after it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LatchkeyProcessTest {

    private static final Pattern LAUNCH_URL = Pattern.compile("Open (http://127\\.0\\.0\\.1:(\\d+)/\\?code=[A-Za-z0-9_-]{43})$");
    /** How long the app may take to print its first line before the test gives up on it. */
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process process : started) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void headless_start_prints_one_launch_url_and_serves_every_built_in_catalog_server() throws Exception {
        Process app = latchkey("--headless", "--data-dir", dataDir.toString());
        Matcher url = awaitLaunchUrl(app);
        InstanceFile instance = InstanceFile.read(dataDir).orElseThrow();

        HttpResponse<String> catalog = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + url.group(2) + "/api/catalog"))
                .header("Authorization", "Bearer " + instance.apiToken()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(catalog.statusCode()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(catalog.body());
        assertThat(body.get("servers").size())
                .isEqualTo(SourceFiles.classpath(getClass().getClassLoader(), "catalog").size());
        assertThat(body.get("problems")).isEmpty();
        assertThat(instance.port()).isEqualTo(Integer.parseInt(url.group(2)));
        assertThat(instance.pid()).isEqualTo(app.pid());
    }

    @Test
    void url_prints_a_fresh_launch_url_of_the_running_app_and_refuses_once_it_has_stopped() throws Exception {
        Process app = latchkey("--headless", "--data-dir", dataDir.toString());
        Matcher printed = awaitLaunchUrl(app);

        Process url = latchkey("url", "--data-dir", dataDir.toString());
        assertThat(url.waitFor(60, TimeUnit.SECONDS)).as("url exited").isTrue();
        String fresh = new String(url.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(url.exitValue()).isZero();
        assertThat(fresh).matches("http://127\\.0\\.0\\.1:" + printed.group(2) + "/\\?code=[A-Za-z0-9_-]{43}")
                .isNotEqualTo(printed.group(1));
        HttpResponse<String> signIn = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fresh)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).isEqualTo(303);

        app.destroy();
        assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("app stopped").isTrue();
        assertThat(dataDir.resolve("instance.json")).doesNotExist();
        Process after = latchkey("url", "--data-dir", dataDir.toString());
        assertThat(after.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(after.exitValue()).isEqualTo(1);
        assertThat(new String(after.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(
                "latchkey url: no Latchkey is running on data directory " + dataDir
                        + " (no instance.json); start it with ./latchkey\n");
    }

    @Test
    void a_display_that_cannot_be_opened_gives_the_one_line_url_instead_of_a_hung_window() throws Exception {
        Process app = latchkey(Map.of("DISPLAY", ":4097"), "--data-dir", dataDir.toString());

        awaitLaunchUrl(app);

        assertThat(app.isAlive()).as("still serving the page").isTrue();
        BufferedReader err = new BufferedReader(new InputStreamReader(app.getErrorStream(), StandardCharsets.UTF_8));
        assertThat(err.lines().filter(line -> line.startsWith("latchkey: ")).findFirst())
                .hasValueSatisfying(line -> assertThat(line).startsWith("latchkey: no window: cannot open the display :4097")
                        .endsWith("; running as with --headless instead"));
    }

    @Test
    void doctor_exits_non_zero_and_names_a_manifest_with_an_unknown_provider_and_its_unpinned_package() throws Exception {
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("catalog/acme__crm.json"), """
                {"name": "acme__crm", "display_name": "Acme CRM",
                 "server": {"command": "npx", "args": ["-y", "acme-crm-mcp"]},
                 "archestra_config": {"oauth": {"provider": "acme", "required": true}}}
                """);

        Process doctor = latchkey("doctor", "--data-dir", dataDir.toString());

        assertThat(doctor.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(doctor.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(doctor.exitValue()).isEqualTo(1);
        List<String> lines = out.lines()
                .filter(line -> line.startsWith("problem: ") || line.startsWith("latchkey doctor: ")).toList();
        assertThat(lines).hasSize(2).last().isEqualTo("latchkey doctor: 1 problem(s)");
        assertThat(lines.get(0)).startsWith(
                "problem: acme__crm: archestra_config.oauth.provider is \"acme\", but no provider of that name exists");
        assertThat(out.lines().filter(line -> line.startsWith("unpinned: "))).containsExactly("unpinned: acme__crm (your "
                + "catalog folder): npx runs acme-crm-mcp with no version: each start may fetch another release; pin one, "
                + "e.g. acme-crm-mcp@1.2.3");
    }

    @Test
    void doctor_passes_on_the_built_in_catalog_and_reports_a_missing_oauth_proxy_without_failing() throws Exception {
        // Nothing listens on the discard port: no OAuth proxy.
        Process doctor = latchkey("doctor", "--data-dir", dataDir.toString(), "--proxy-url", "http://127.0.0.1:9");

        assertThat(doctor.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(doctor.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.startsWith("runtime ") && !line.startsWith("sandbox")).toList())
                .containsExactly("OAuth proxy at http://127.0.0.1:9: not reachable",
                        "the OAuth proxy at http://127.0.0.1:9 refused the connection (is it running?). Start one with "
                                + "`./latchkey proxy` (or proxy and app together with `./latchkey dev`), or point Latchkey "
                                + "at yours with --proxy-url URL",
                        "latchkey doctor: every catalog server names providers that exist; no problems");
        assertThat(doctor.exitValue()).isZero();
    }

    @Test
    void doctor_lists_the_runtimes_servers_start_with_and_what_to_install_for_a_missing_one_and_for_the_sandbox() throws Exception {
        Path bin = Files.createDirectories(dataDir.resolve("bin"));
        Path npx = Files.writeString(bin.resolve("npx"), "#!/bin/sh\n");
        npx.toFile().setExecutable(true);

        Process doctor = latchkey(Map.of("PATH", bin.toString()), "doctor", "--data-dir", dataDir.toString());

        assertThat(doctor.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> out = new String(doctor.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        List<String> runtimes = out.stream().filter(line -> line.startsWith("runtime ")).toList();
        assertThat(out).contains("sandbox: none — bubblewrap (bwrap) is not installed, so servers cannot be sandboxed:"
                + " install bubblewrap (apt-get install bubblewrap)");
        assertThat(runtimes).startsWith("runtime npx: " + npx,
                "runtime node: missing — install Node.js from its site or your package manager",
                "runtime uvx: missing — install uv from its site or your package manager");
        assertThat(runtimes).hasSize(7).last()
                .isEqualTo("runtime docker: missing — install Docker from its site or your package manager");
    }

    @Test
    void killing_the_app_with_sigkill_leaves_none_of_its_servers_running() throws Exception {
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("catalog/test__everything.json"), """
                {"name": "test__everything", "display_name": "Everything",
                 "server": {"command": "node", "args": ["%s", "stdio"]}}
                """.formatted(serverEverything()));
        Process app = latchkey(Map.of("LATCHKEY_CANARY", "canary-value"), "--headless", "--data-dir", dataDir.toString());
        awaitLaunchUrl(app);
        InstanceFile url = InstanceFile.read(dataDir).orElseThrow();
        for (int i = 0; i < 2; i++) {
            assertThat(api(url, "POST", "/api/installs", "{\"catalogName\": \"test__everything\", \"auth\": \"none\"}")
                    .statusCode()).isEqualTo(201);
        }
        awaitAllRunning(url, 2);
        List<ProcessHandle> servers = ProcessHandle.of(app.pid()).orElseThrow().descendants()
                .filter(process -> process.info().commandLine().orElse("").contains("server-everything"))
                .filter(process -> !process.info().command().orElse("").endsWith("/bwrap")).toList(); // node, in its sandbox
        assertThat(servers).hasSize(2);
        for (ProcessHandle server : servers) {
            assertThat(Files.readString(Path.of("/proc", String.valueOf(server.pid()), "environ")))
                    .doesNotContain("LATCHKEY_CANARY").doesNotContain("canary-value");
        }

        app.destroyForcibly();
        assertThat(app.waitFor(10, TimeUnit.SECONDS)).isTrue();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (servers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(servers).as("servers left after SIGKILL").noneMatch(ProcessHandle::isAlive);
    }

    private static HttpResponse<String> api(InstanceFile app, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + app.apiToken());
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** On the app's own word (as the backend's InstallWait): a failed install ends it at once; 15 min only ends a hang. */
    private static void awaitAllRunning(InstanceFile url, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        JsonNode installs = null;
        while (System.nanoTime() < deadline) {
            installs = new ObjectMapper().readTree(api(url, "GET", "/api/installs", null).body()).get("installs");
            long running = 0;
            for (JsonNode install : installs) {
                running += "running".equals(install.get("status").asText()) ? 1 : 0;
                assertThat(install.get("status").asText()).as("status of %s", install).isNotEqualTo("failed");
            }
            if (running == count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not all " + count + " installs are running: " + installs);
    }

    /** server-everything as ./latchkey test installs it (npm-tools/, beside this module). */
    private static Path serverEverything() {
        Path entry = Path.of("").toAbsolutePath().getParent()
                .resolve("npm-tools/node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        assertThat(entry).as("server-everything, which ./latchkey test installs into npm-tools/ (npm install there)")
                .isRegularFile();
        return entry;
    }

    private Process latchkey(String... args) throws Exception {
        return latchkey(Map.of(), args);
    }

    /** The app in a JVM of its own, without a display unless {@code env} names one. */
    private Process latchkey(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("DISPLAY");
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** The app's first line, read with a deadline: an app that hangs fails the test instead of the build. */
    private static Matcher awaitLaunchUrl(Process app) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String line;
        try {
            line = firstLine.get(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            app.destroyForcibly();
            throw new AssertionError("the app printed nothing within " + START_LIMIT.toSeconds() + " s", e);
        }
        assertThat(line).as("first line the app prints").isNotNull();
        Matcher matcher = LAUNCH_URL.matcher(line);
        assertThat(matcher.find()).as("launch URL in: " + line).isTrue();
        return matcher;
    }
}
