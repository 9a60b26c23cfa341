package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.store.InstanceFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./latchkey} script as a newcomer meets it: on a fresh clone of this repository it
 * builds the app by itself, it builds again when a source of the app is newer than the jar (and
 * only then), and {@code doctor} answers with its exit code.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LatchkeyScriptTest {

    private static final String BUILDING = "latchkey: building desktop (first run, or sources changed)...";
    private static final String DOCTOR_PASSES = "latchkey doctor: every catalog server names providers that exist; no problems\n";
    private static final long BUILD_MINUTES = 15;

    @TempDir
    static Path work;

    private static Path clone;

    /** A clone of the commit under test, so nothing built in this checkout helps the script. */
    @BeforeAll
    static void cloneTheRepository() throws Exception {
        Path repository = Path.of("").toAbsolutePath().getParent();
        assertThat(repository.resolve("latchkey")).as("the latchkey script at the repository root").exists();
        clone = work.resolve("clone");
        Result git = run(List.of("git", "clone", "--quiet", "--no-hardlinks", repository.toString(), clone.toString()),
                work, 5);
        assertThat(git.exit()).as("git clone: " + git.err()).isZero();
        assertThat(clone.resolve("desktop/target")).doesNotExist();
    }

    @Test
    @Order(1)
    void a_fresh_clone_builds_itself_on_the_first_run() throws Exception {
        Result doctor = latchkey("doctor", "--data-dir", work.resolve("data").toString());

        assertThat(doctor.err()).contains(BUILDING);
        // doctor first lists which runtimes (npx, uvx, docker…) this machine has, then its verdict.
        assertThat(doctor.out()).endsWith(DOCTOR_PASSES);
        assertThat(doctor.exit()).isZero();
        assertThat(clone.resolve("desktop/target/latchkey-desktop.jar")).isRegularFile();
    }

    @Test
    @Order(2)
    void doctor_exits_one_on_a_mismatch_and_a_current_jar_is_not_built_again() throws Exception {
        Path data = work.resolve("data-with-mismatch");
        Files.createDirectories(data.resolve("catalog"));
        Files.writeString(data.resolve("catalog/acme__crm.json"), """
                {"name": "acme__crm", "display_name": "Acme CRM",
                 "server": {"command": "npx", "args": ["-y", "acme-crm-mcp"]},
                 "archestra_config": {"oauth": {"provider": "acme", "required": true}}}
                """);

        Result doctor = latchkey("doctor", "--data-dir", data.toString());

        assertThat(doctor.err()).doesNotContain(BUILDING);
        assertThat(doctor.out()).endsWith("latchkey doctor: 1 problem(s)\n");
        assertThat(doctor.exit()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void a_source_newer_than_the_jar_in_any_module_of_the_app_is_built_again() throws Exception {
        Path jar = clone.resolve("desktop/target/latchkey-desktop.jar");
        FileTime built = Files.getLastModifiedTime(jar);
        // browser-auth: the module the app gained last, and the easiest to forget in the script.
        Path source;
        try (var files = Files.walk(clone.resolve("browser-auth/src/main/java"))) {
            source = files.filter(p -> p.toString().endsWith(".java")).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(5)));

        Result doctor = latchkey("doctor", "--data-dir", work.resolve("data").toString());

        assertThat(doctor.err()).contains(BUILDING);
        assertThat(doctor.exit()).isZero();
        assertThat(Files.getLastModifiedTime(jar)).isGreaterThan(built);
    }

    /**
     * The app as the README starts it: the script's own java line and the jar's {@code lib/}, not
     * the test classpath. A dependency missing from {@code lib/} (once, Selenium) fails here at start.
     */
    @Test
    @Order(4)
    void the_packaged_app_starts_headless_and_answers_on_its_launch_url() throws Exception {
        Path data = work.resolve("data-app");
        ProcessBuilder builder = new ProcessBuilder(clone.resolve("latchkey").toString(), "--headless",
                "--data-dir", data.toString()).directory(clone.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("DISPLAY");
        Process app = builder.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(2, TimeUnit.MINUTES);
            assertThat(line).as("the app's first line; null when it died at start").isNotNull();
            Matcher url = Pattern.compile("Open (http://127\\.0\\.0\\.1:(\\d+)/\\?code=\\S+)$").matcher(line);
            assertThat(url.find()).as("a launch URL in: " + line).isTrue();
            InstanceFile instance = InstanceFile.read(data).orElseThrow();

            HttpResponse<String> catalog = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + url.group(2) + "/api/catalog"))
                    .header("Authorization", "Bearer " + instance.apiToken()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(catalog.statusCode()).isEqualTo(200);
            assertThat(catalog.body()).contains("\"servers\"");
            assertThat(app.isAlive()).isTrue();
        } finally {
            app.descendants().forEach(ProcessHandle::destroy);
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    private static Result latchkey(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(clone.resolve("latchkey").toString()));
        command.addAll(List.of(args));
        return run(command, clone, BUILD_MINUTES);
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(List<String> command, Path dir, long minutes) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("DISPLAY");
        Process process = builder.start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + minutes + " minutes");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
