package dev.latchkey.qa;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.latchkey.qa.pages.BrowserTab;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SystemBrowser} is the browser {@code xdg-open} hands pages to in its environment: a
 * {@code file:} page forwarding to a web page, as the app hands an OAuth sign-in, and a web page
 * itself; each opens in a tab of its Chromium, in turn.
 */
class SystemBrowserTest {

    @TempDir
    Path dir;
    private HttpServer site;
    private SystemBrowser browser;

    @BeforeEach
    void start() throws Exception {
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/", exchange -> {
            byte[] page = ("<!doctype html><title>Sign in</title><p id=path>" + exchange.getRequestURI().getPath()
                    + "</p><input name=user>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        site.start();
        browser = SystemBrowser.open();
    }

    @AfterEach
    void stop() throws Exception {
        browser.close();
        site.stop(0);
    }

    @Test
    void pages_xdg_open_is_handed_open_in_the_kits_chromium_a_forwarding_file_page_included() throws Exception {
        String signIn = "http://127.0.0.1:" + site.getAddress().getPort() + "/authorize";
        Path forwarding = Files.writeString(dir.resolve("open-1.html"), "<!doctype html><meta http-equiv=\"refresh\" "
                + "content=\"0; url=" + signIn + "\"><title>Latchkey</title>");
        xdgOpen(forwarding.toUri().toString());

        BrowserTab tab = browser.awaitPage();
        assertThat(tab.url()).isEqualTo(signIn);
        assertThat(tab.text("#path")).isEqualTo("/authorize");
        assertThat(tab.type("input[name=user]", "qa").host()).isEqualTo("127.0.0.1");
        assertThat(browser.handed()).containsExactly(forwarding.toUri().toString());

        xdgOpen(signIn + "/again");
        assertThat(browser.awaitPage().text("#path")).isEqualTo("/authorize/again");
        assertThat(browser.handed()).hasSize(2);
    }

    @Test
    void started_again_by_its_extension_it_opens_the_new_records_first_page() throws Exception {
        String signIn = "http://127.0.0.1:" + site.getAddress().getPort() + "/first";
        xdgOpen(signIn);
        assertThat(browser.awaitPage().text("#path")).isEqualTo("/first");

        // A class run twice in one JVM: its static extension's afterAll, then beforeAll again.
        browser.afterAll(null);
        browser.beforeAll(null);
        xdgOpen(signIn + "/second-run");

        assertThat(browser.awaitPage().text("#path")).isEqualTo("/first/second-run");
    }

    private void xdgOpen(String url) throws Exception {
        ProcessBuilder command = new ProcessBuilder("xdg-open", url).redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(browser.environment());
        env.putIfAbsent("DISPLAY", System.getenv().getOrDefault("DISPLAY", ":0"));
        command.environment().putAll(env);
        Process process = command.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("xdg-open: %s", output).isZero();
    }
}
