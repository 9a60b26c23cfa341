package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What {@code --browser system} hands {@code xdg-open}: an owner-only page in the data dir that
 * forwards to the launch URL, never the launch URL itself, whose one-time code would sit on a
 * command line every local user can read. {@code xdg-open} is a script on the app's PATH that
 * writes down its arguments; Debian's Chromium then opens what it was given.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SystemBrowserLinkTest {

    @TempDir
    Path dir;

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
    void xdg_open_gets_an_owner_only_page_and_no_launch_code_and_the_browser_opening_it_ends_signed_in() throws Exception {
        Path dataDir = dir.resolve("data");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path argv = dir.resolve("xdg-open-argv.txt");
        Path opener = bin.resolve("xdg-open");
        Files.writeString(opener, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + argv + "'\n");
        opener.toFile().setExecutable(true);

        Process app = latchkey(bin, "--browser", "system", "--data-dir", dataDir.toString());
        String said = firstLine(app);
        assertThat(said).startsWith("Latchkey is running; opened the Connectors page in your browser.");
        String port = said.replaceAll(".*http://127\\.0\\.0\\.1:(\\d+)/.*", "$1");
        awaitTrue("xdg-open was started", () -> Files.exists(argv) && !Files.readAllLines(argv).isEmpty());

        List<String> given = Files.readAllLines(argv);
        assertThat(given).as("xdg-open's arguments").hasSize(1);
        assertThat(given.get(0)).as("xdg-open's argument").doesNotContain("code=").startsWith("file:///");
        Path page = Path.of(URI.create(given.get(0)));
        assertThat(page).startsWith(dataDir).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(page))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(page.getParent()))).isEqualTo("rwx------");

        Path profile = Files.createDirectories(dir.resolve("chromium"));
        ChromeDriver browser = chromium(profile);
        try {
            browser.get(given.get(0));
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver ->
                    driver.getCurrentUrl().startsWith("http://127.0.0.1:" + port + "/"));
            Object status = browser.executeAsyncScript(
                    "const done = arguments[0]; fetch('/api/catalog').then(r => done(r.status), e => done(String(e)));");
            assertThat(status).as("the page's own request to /api/catalog, with the session its launch code was traded for")
                    .isEqualTo(200L);
        } finally {
            browser.quit();
        }
    }

    /** Debian's Chromium, headless, named by path so Selenium Manager never downloads one. */
    private static ChromeDriver chromium(Path profile) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Path.of("/usr/bin/chromium").toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-sync", "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }

    /** The app in a JVM of its own, with {@code bin} first on its PATH. */
    private Process latchkey(Path bin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        // A display is named, so that --browser system is taken; the app never opens it.
        builder.environment().put("DISPLAY", ":4711");
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private static String firstLine(Process app) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(line).as("first line the app prints").isNotNull();
        return line;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
