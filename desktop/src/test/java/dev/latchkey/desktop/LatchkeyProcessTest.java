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
                .hasValueSatisfying(line -> assertThat(line).startsWith("latchkey: no window: cannot open the display :4097"));
    }

    @Test
    void a_second_app_on_the_same_data_dir_exits_at_once_with_a_clear_message() throws Exception {
        awaitLaunchUrl(latchkey("--headless", "--data-dir", dataDir.toString()));

        Process second = latchkey("--headless", "--data-dir", dataDir.toString());

        assertThat(second.waitFor(30, TimeUnit.SECONDS)).as("second app exited").isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("latchkey: another Latchkey is already running on data directory " + dataDir);
    }

    @Test
    void doctor_exits_non_zero_and_names_a_manifest_with_an_unknown_provider() throws Exception {
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
        assertThat(out).startsWith("problem: acme__crm: archestra_config.oauth.provider is \"acme\", but no provider of that name exists")
                .endsWith("latchkey doctor: 1 problem(s)\n");
    }

    @Test
    void doctor_passes_on_the_built_in_catalog() throws Exception {
        Process doctor = latchkey("doctor", "--data-dir", dataDir.toString());

        assertThat(doctor.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(doctor.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("latchkey doctor: every catalog server names providers that exist; no problems\n");
        assertThat(doctor.exitValue()).isZero();
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
