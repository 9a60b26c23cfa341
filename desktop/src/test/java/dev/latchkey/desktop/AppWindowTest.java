package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.store.InstanceFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The app with its JCEF window, as a user starts it: a JVM of its own on a display of the test's
 * own (Xvfb with a window manager). Selenium attaches to the window through the QA
 * remote-debugging port. A hung app fails at the timeout; every process is killed after each test.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AppWindowTest {

    /** One extraction of the natives for every test run of this module (target/ is rebuilt clean in CI). */
    static final Path JCEF_DIR = Path.of("target", "jcef").toAbsolutePath();

    private static final ObjectMapper JSON = new ObjectMapper();

    private static VirtualDisplay display;

    @TempDir
    Path dataDir;

    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void startDisplay() throws Exception {
        display = VirtualDisplay.start();
    }

    @AfterAll
    static void stopDisplay() {
        if (display != null) {
            display.close();
        }
    }

    @AfterEach
    void killApps() throws InterruptedException {
        for (Process app : started) {
            List<ProcessHandle> tree = new ArrayList<>(app.descendants().toList());
            app.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            app.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void the_window_shows_the_connectors_page_signed_in_and_no_command_line_carries_the_launch_url() throws Exception {
        int debuggingPort = freePort();
        Process app = startApp(debuggingPort);

        ChromeDriver page = JcefSelenium.attach(debuggingPort);
        try {
            new WebDriverWait(page, Duration.ofSeconds(60)).until(driver ->
                    "live".equals(driver.findElement(By.id("live-state")).getAttribute("data-state")));
            assertThat(page.getTitle()).isEqualTo("Latchkey — Connectors");
            assertThat(page.findElement(By.id("result-count")).getText()).matches("\\d+ connectors");
            assertThat(page.findElement(By.id("signin-notice")).isDisplayed()).isFalse();
            String pageUrl = page.getCurrentUrl();
            assertThat(pageUrl).matches("http://127\\.0\\.0\\.1:\\d+/");
            assertThat(display.windowTitles()).contains(AppWindow.TITLE);
            // The page's origin appears on no command line of the app or of CEF's helpers, so neither
            // does a launch URL with its one-time secret.
            String origin = pageUrl.substring(0, pageUrl.length() - 1);
            for (ProcessHandle process : processTree(app)) {
                assertThat(commandLine(process)).as("command line of pid " + process.pid()).doesNotContain(origin);
            }
        } finally {
            JcefSelenium.detach(page);
        }
    }

    @Test
    void closing_the_window_stops_latchkey_and_leaves_no_browser_process() throws Exception {
        Process app = startApp(freePort());
        List<ProcessHandle> tree = processTree(app);
        assertThat(tree).as("CEF's helper processes").anySatisfy(process ->
                assertThat(commandLine(process)).contains("jcef_helper"));

        display.closeWindow(AppWindow.TITLE);

        awaitExit(app, "Latchkey exited after its window closed");
        assertThat(app.exitValue()).isZero();
        for (ProcessHandle process : tree) {
            assertThat(process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).get().isAlive())
                    .as("pid " + process.pid() + " still alive after Latchkey exited").isFalse();
        }
    }

    @Test
    void sigterm_stops_latchkey_through_its_shutdown_and_leaves_no_browser_process() throws Exception {
        Process app = startApp(freePort());
        List<ProcessHandle> tree = processTree(app);
        assertThat(dataDir.resolve(InstanceFile.NAME)).exists();

        app.destroy(); // SIGTERM, as a logout, systemd or kill sends it

        awaitExit(app, "Latchkey exited on SIGTERM");
        assertThat(app.exitValue()).as("the JVM's exit code for SIGTERM").isEqualTo(143);
        assertThat(dataDir.resolve(InstanceFile.NAME)).as("removed by the backend's shutdown hook").doesNotExist();
        for (ProcessHandle process : tree) {
            assertThat(process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).get().isAlive())
                    .as("pid " + process.pid() + " still alive after Latchkey exited").isFalse();
        }
    }

    @Test
    void a_browser_login_install_signs_in_in_a_jcef_login_window_and_closing_it_stores_nothing() throws Exception {
        int debuggingPort = freePort();
        // LinkedIn's host leads to a closed port here: the window shows an error page, and nothing leaves the machine.
        Process app = startApp(debuggingPort, "--host-resolver-rules", "MAP www.linkedin.com 127.0.0.1:" + freePort());
        AppApi api = new AppApi(dataDir);

        JsonNode install = api.send("POST", "/api/installs",
                "{\"catalogName\": \"stickerdaniel__linkedin-mcp-server\", \"auth\": \"browser\"}", 201);
        String id = install.path("id").asText();
        assertThat(install.path("status").asText()).isEqualTo("pending_auth");

        // The login window is a window of the app's own CEF, not a Chromium of its own.
        String title = "LinkedIn (browser login) — Latchkey sign-in";
        awaitTrue("a JCEF page on the login URL, and a window titled \"" + title + "\"", () ->
                pageUrls(debuggingPort).contains("https://www.linkedin.com/login") && display.windowTitles().contains(title));
        assertThat(processTree(app)).as("no Chromium of its own").noneSatisfy(process ->
                assertThat(commandLine(process)).startsWith("/usr/bin/chromium"));

        display.closeWindow(title);

        awaitTrue("the install failed because its login window was closed", () ->
                api.send("GET", "/api/installs/" + id, null, 200).path("status").asText().equals("failed"));
        assertThat(api.send("GET", "/api/installs/" + id, null, 200).path("statusReason").asText())
                .isEqualTo("Sign-in did not finish: the login window was closed. Nothing was stored.");
        awaitTrue("the login window gone, the app window still there", () ->
                !pageUrls(debuggingPort).contains("https://www.linkedin.com/login")
                        && !display.windowTitles().contains(title) && display.windowTitles().contains(AppWindow.TITLE));
    }

    @Test
    void pages_the_connectors_page_opens_in_a_new_window_go_to_the_system_browser_and_only_web_pages() throws Exception {
        // The "system browser" is a script that writes down what it was handed (handed.txt) and the
        // address the forwarding page it was handed leads to (opened.txt); the app reaches it through
        // the real xdg-open, which, outside a desktop environment, runs $BROWSER.
        assertThat(Path.of("/usr/bin/xdg-open")).as("xdg-open; install it: apt-get install -y xdg-utils "
                + "(./latchkey test does)").isExecutable();
        Path opened = dataDir.resolve("opened.txt");
        Path handed = dataDir.resolve("handed.txt");
        Path browser = dataDir.resolve("browser.sh");
        Files.writeString(browser, "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + handed + "'\n"
                + "sed -n 's/.*<a href=\"\\([^\"]*\\)\".*/\\1/p' \"${1#file://}\" >> '" + opened + "'\n");
        browser.toFile().setExecutable(true);
        Path noDesktop = Files.createDirectories(dataDir.resolve("no-desktop"));
        int debuggingPort = freePort();
        Process app = startApp(debuggingPort, environment -> {
            environment.put("BROWSER", browser.toString());
            List.of("XDG_DATA_HOME", "XDG_DATA_DIRS", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS")
                    .forEach(name -> environment.put(name, noDesktop.toString()));
            List.of("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION", "GNOME_DESKTOP_SESSION_ID",
                    "MATE_DESKTOP_SESSION_ID").forEach(environment::remove);
        });
        String signIn = "http://127.0.0.1:4711/oauth/go/one-time-link";
        String authorize = "https://auth.example.test/authorize?client_id=latchkey&state=s1&code_challenge=c1";
        String homePage = "https://example.test/server";

        ChromeDriver page = JcefSelenium.attach(debuggingPort);
        try {
            new WebDriverWait(page, Duration.ofSeconds(60)).until(driver ->
                    "live".equals(driver.findElement(By.id("live-state")).getAttribute("data-state")));
            String appUrl = page.getCurrentUrl();
            // What the page does for an OAuth sign-in (oauth.js): window.open(its one-time link, '_blank',
            // 'noopener'), and a target=_blank link; then an authorization URL with its PKCE challenge,
            // which never goes on xdg-open's command line, and new windows on addresses that are not web pages, which must
            // go nowhere (Chromium itself stops file: and javascript: before the app is asked; about:,
            // mailto:, ssh: and data: reach the app).
            page.executeScript("""
                    const add = (id, make) => { const e = make(); e.id = id; e.textContent = id; document.body.prepend(e); };
                    const opener = (url) => () => { const b = document.createElement('button');
                        b.onclick = () => window.open(url, '_blank', 'noopener'); return b; };
                    add('open-sign-in', opener(arguments[0]));
                    add('open-link', () => { const a = document.createElement('a'); a.href = arguments[1]; a.target = '_blank'; return a; });
                    add('open-authorize', opener(arguments[2]));
                    add('open-file', opener('file:///etc/hostname'));
                    add('open-script', opener('javascript:document.title="ran"'));
                    add('open-blank', opener('about:blank'));
                    add('open-mail', opener('mailto:someone@example.test'));
                    add('open-ssh', opener('ssh://example.test/'));
                    add('open-data', opener('data:text/html,hi'));
                    """, signIn, homePage, authorize);
            for (String id : List.of("open-authorize", "open-file", "open-script", "open-blank", "open-mail", "open-ssh", "open-data", "open-sign-in", "open-link")) {
                page.findElement(By.id(id)).click();
            }

            awaitTrue("both web pages handed to the system browser", () ->
                    Files.exists(opened) && Files.readAllLines(opened).size() >= 2);
            awaitTrue("every xdg-open the app started has ended", () ->
                    app.descendants().noneMatch(process -> commandLineOf(process).contains("xdg-open")));
            assertThat(Files.readAllLines(opened)).containsExactlyInAnyOrder(signIn, homePage);
            assertThat(Files.readAllLines(handed)).as("what xdg-open and the browser were handed: forwarding pages only")
                    .hasSize(2).allSatisfy(url -> assertThat(url).startsWith(dataDir.resolve("browser-links").toUri().toString())
                            .doesNotContain("oauth/go").doesNotContain("example.test"));
            assertThat(pageUrls(debuggingPort)).as("no pop-up inside the app").containsExactly(appUrl);
            assertThat(display.windowTitles()).as("no window but the app's").containsExactly(AppWindow.TITLE);
            assertThat(page.getCurrentUrl()).isEqualTo(appUrl);
        } finally {
            JcefSelenium.detach(page);
        }
    }

    private Process startApp(int debuggingPort, String... moreArgs) throws IOException {
        return startApp(debuggingPort, environment -> { }, moreArgs);
    }

    /** Starts the app on the test's display and waits until it says its window is open. */
    private Process startApp(int debuggingPort, Consumer<Map<String, String>> environment, String... moreArgs)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--data-dir", dataDir.toString(), "--remote-debugging-port", Integer.toString(debuggingPort)));
        command.addAll(List.of(moreArgs));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("DISPLAY", display.display());
        builder.environment().put(LaunchOptions.JCEF_DIR_ENV, JCEF_DIR.toString());
        environment.accept(builder.environment());
        builder.redirectError(dataDir.resolve("stderr.txt").toFile());
        Process app = builder.start();
        started.add(app);
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); ; line = out.readLine()) {
            assertThat(line).as("the app's output ended before its window opened; stderr:\n" + stderr()).isNotNull();
            if (line.startsWith("Latchkey is running in its window")) {
                return app;
            }
        }
    }

    /** Waits a minute for the app to exit; if it does not, the failure shows its threads and stderr. */
    private void awaitExit(Process app, String what) throws Exception {
        if (app.waitFor(60, TimeUnit.SECONDS)) {
            return;
        }
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(app.pid()), "Thread.print").redirectErrorStream(true).start();
        String threads = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError(what + ": still running after 60 s; stderr:\n" + stderr() + "\nthreads:\n" + threads);
    }

    private String stderr() throws IOException {
        Path file = dataDir.resolve("stderr.txt");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    /** The URLs of the pages the app's CEF shows, as its DevTools port lists them. */
    private static List<String> pageUrls(int debuggingPort) throws IOException, InterruptedException {
        HttpResponse<String> list = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + debuggingPort + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> urls = new ArrayList<>();
        for (JsonNode target : JSON.readTree(list.body())) {
            if (target.path("type").asText().equals("page")) {
                urls.add(target.path("url").asText());
            }
        }
        return urls;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.holds()) {
            assertThat(System.nanoTime() < deadline).as("within 60 s: " + what).isTrue();
            Thread.sleep(200);
        }
    }

    /** The app's API, called as a program does: with the API secret of its {@code instance.json}. */
    private record AppApi(InstanceFile instance) {

        AppApi(Path dataDir) {
            this(InstanceFile.read(dataDir).orElseThrow(() -> new AssertionError("no instance.json in " + dataDir)));
        }

        JsonNode send(String method, String path, String json, int expectedStatus) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
                    .header("Authorization", "Bearer " + instance.apiToken())
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
            return JSON.readTree(response.body());
        }
    }

    private static List<ProcessHandle> processTree(Process app) {
        List<ProcessHandle> tree = new ArrayList<>(List.of(app.toHandle()));
        tree.addAll(app.descendants().toList());
        return tree;
    }

    private static String commandLineOf(ProcessHandle process) {
        try {
            return commandLine(process);
        } catch (IOException e) {
            return ""; // it has just exited
        }
    }

    private static String commandLine(ProcessHandle process) throws IOException {
        Path file = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).replace('\0', ' ') : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
