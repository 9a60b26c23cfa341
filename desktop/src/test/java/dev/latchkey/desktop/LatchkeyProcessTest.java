package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher as a user runs it: a separate JVM, its output, its exit code. */
class LatchkeyProcessTest {

    private static final Pattern LAUNCH_URL = Pattern.compile("Open (http://127\\.0\\.0\\.1:(\\d+)/\\?token=([A-Za-z0-9_-]{43}))$");

    @TempDir
    Path dataDir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process process : started) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void headless_start_prints_one_launch_url_that_serves_the_catalog() throws Exception {
        Process app = latchkey("--headless", "--data-dir", dataDir.toString());
        Matcher url = awaitLaunchUrl(app);

        HttpResponse<String> catalog = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + url.group(2) + "/api/catalog"))
                .header("Authorization", "Bearer " + url.group(3)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(catalog.statusCode()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(catalog.body());
        assertThat(body.get("servers").size()).isGreaterThanOrEqualTo(12);
        assertThat(body.get("problems")).isEmpty();
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
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("DISPLAY");
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private static Matcher awaitLaunchUrl(Process app) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("first line the app prints").isNotNull();
        Matcher matcher = LAUNCH_URL.matcher(line);
        assertThat(matcher.find()).as("launch URL in: " + line).isTrue();
        return matcher;
    }
}
