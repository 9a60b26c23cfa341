package dev.latchkey.browser.jcef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.browser.LoginRules;
import dev.latchkey.login.LoginOutcome;
import dev.latchkey.login.LoginRequest;
import dev.latchkey.provider.Extraction;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.BorderFactory;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingUtilities;
import org.cef.CefClient;
import org.cef.browser.CefBrowser;
import org.cef.browser.CefDevToolsClient;
import org.cef.browser.CefFrame;
import org.cef.browser.CefRequestContext;
import org.cef.handler.CefDisplayHandlerAdapter;
import org.cef.handler.CefRequestHandlerAdapter;
import org.cef.network.CefRequest;

/**
 * One sign-in in one JCEF window, as steps:
 * <ol>
 *   <li>open (on the Swing thread): a frame with a bar that always shows the current host and the
 *       latest refusal, and a browser on {@code loginUrl} in a new in-memory request context (cookies
 *       and storage of its own). Its handlers judge every navigation of every frame — typed,
 *       redirect, link or script — by the {@link LoginRules} in {@code onBeforeBrowse}, cancelling an
 *       off-rule one; pop-ups never open: an allowed one loads in place, any other is refused;</li>
 *   <li>poll on the caller's thread: once the URL is ready, read the values over the browser's
 *       DevTools client ({@code Runtime.evaluate} for scripts, {@code Network.getAllCookies} for
 *       cookies, HttpOnly included) until each has its shape;</li>
 *   <li>end on values, the user closing the window, an interrupt, or the timeout: the browser is
 *       closed ({@code close(true)}); once CEF has destroyed it, its client and request context are
 *       disposed (on CEF's thread), and the frame is disposed.</li>
 * </ol>
 */
final class LoginWindow {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration DEVTOOLS_ANSWER = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoginRequest request;
    private final LoginRules rules;
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> address = new AtomicReference<>("");
    private CefClient client;
    private CefRequestContext context;
    private CefBrowser browser;
    private BrowserClosing closing;
    private JFrame frame;
    private JLabel host;
    private JLabel refusal;
    private CefDevToolsClient devTools;

    private LoginWindow(LoginRequest request) {
        this.request = request;
        this.rules = new LoginRules(request.settings());
    }

    /** Runs one sign-in to its outcome; the window is gone when this returns. */
    static LoginOutcome run(CefRuntime cef, LoginRequest request, Clock clock) {
        LoginWindow window = new LoginWindow(request);
        try {
            SwingUtilities.invokeAndWait(() -> window.open(cef));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            window.close();
            return new LoginOutcome.Cancelled();
        } catch (InvocationTargetException e) {
            window.close();
            return new LoginOutcome.Failed("the login window could not open: " + e.getCause().getMessage());
        }
        try {
            return window.poll(clock);
        } finally {
            window.close();
        }
    }

    /** Step 1, on the Swing thread. */
    private void open(CefRuntime cef) {
        client = cef.newClient();
        context = CefRequestContext.createContext(null);
        client.addRequestHandler(new CefRequestHandlerAdapter() {
            @Override
            public boolean onBeforeBrowse(CefBrowser b, CefFrame f, CefRequest navigation, boolean userGesture, boolean isRedirect) {
                return refuses("navigation to ", navigation.getURL());
            }

            @Override
            public boolean onOpenURLFromTab(CefBrowser b, CefFrame f, String url, boolean userGesture) {
                loadInPlace(url);
                return true;
            }
        });
        client.addDisplayHandler(new CefDisplayHandlerAdapter() {
            @Override
            public void onAddressChange(CefBrowser b, CefFrame f, String url) {
                if (f == null || f.isMain()) {
                    address.set(url);
                    SwingUtilities.invokeLater(() -> host.setText(hostLine(url)));
                }
            }
        });
        browser = client.createBrowser(request.settings().loginUrl().toString(), false, false, context);
        closing = new BrowserClosing(browser);
        client.addLifeSpanHandler(closing.handler(this::loadInPlace, () -> {
            client.dispose();
            context.dispose();
        }));
        frame = closing.frame(request.title() + " — Latchkey sign-in");
        host = new JLabel(hostLine(request.settings().loginUrl().toString()));
        refusal = new JLabel(" ");
        refusal.setForeground(new Color(0xB3261E));
        JPanel bar = new JPanel(new BorderLayout(12, 0));
        bar.setBorder(BorderFactory.createEmptyBorder(6, 10, 6, 10));
        bar.add(host, BorderLayout.WEST);
        bar.add(refusal, BorderLayout.CENTER);
        frame.add(bar, BorderLayout.NORTH);
        frame.add(browser.getUIComponent(), BorderLayout.CENTER);
        frame.setSize(new Dimension(1000, 800));
        frame.setLocationRelativeTo(null);
        frame.setVisible(true);
    }

    private static String hostLine(String url) {
        return "Site: " + LoginRules.hostOf(url);
    }

    /** True (cancel) for a navigation the rules do not allow, which is then shown and remembered. */
    private boolean refuses(String kind, String url) {
        if (rules.allowsNavigation(url)) {
            return false;
        }
        String what = kind + LoginRules.withoutQuery(url);
        refused.add(what);
        SwingUtilities.invokeLater(() -> refusal.setText("Blocked " + what + ": not one of this service's hosts"));
        return true;
    }

    /** A pop-up or new tab never opens a window: an allowed one loads here, any other is refused. */
    private void loadInPlace(String url) {
        if (!refuses("pop-up to ", url)) {
            browser.loadURL(url);
        }
    }

    /** Step 2. */
    private LoginOutcome poll(Clock clock) {
        Instant deadline = clock.instant().plusSeconds(request.settings().timeoutSeconds());
        String waitingFor = "the page to reach readyWhen (" + request.settings().readyWhen() + ")";
        try {
            while (clock.instant().isBefore(deadline)) {
                Thread.sleep(POLL.toMillis());
                if (closing.isDestroyed()) {
                    return refused.isEmpty() ? new LoginOutcome.Cancelled() : new LoginOutcome.Blocked(refused);
                }
                if (rules.isReady(address.get())) {
                    Reading reading = read();
                    Optional<String> missing = rules.missing(reading.values());
                    if (missing.isEmpty()) {
                        return new LoginOutcome.Extracted(reading.values(), reading.expiresAt());
                    }
                    waitingFor = missing.get();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LoginOutcome.Cancelled();
        }
        Duration after = Duration.ofSeconds(request.settings().timeoutSeconds());
        return refused.isEmpty() ? new LoginOutcome.TimedOut(after, waitingFor) : new LoginOutcome.Blocked(refused);
    }

    private record Reading(Map<String, String> values, Instant expiresAt) {
    }

    /** Every value as it is now; a script that fails or returns no string leaves its value out. */
    private Reading read() throws InterruptedException {
        Map<String, String> values = new HashMap<>();
        Instant expiresAt = null;
        JsonNode cookies = null;
        for (Map.Entry<String, Extraction> entry : request.settings().extract().entrySet()) {
            if (entry.getValue() instanceof Extraction.Script script) {
                ObjectNode params = JsonNodeFactory.instance.objectNode()
                        .put("expression", "(" + script.script() + ")").put("returnByValue", true);
                JsonNode value = devTools("Runtime.evaluate", params).path("result").path("value");
                if (value.isTextual()) {
                    values.put(entry.getKey(), value.asText());
                }
            } else if (entry.getValue() instanceof Extraction.Cookie wanted) {
                cookies = cookies == null ? devTools("Network.getAllCookies", null).path("cookies") : cookies;
                for (JsonNode cookie : cookies) {
                    if (LoginRules.isCookie(wanted, cookie.path("name").asText(), cookie.path("domain").asText())) {
                        values.put(entry.getKey(), cookie.path("value").asText());
                        expiresAt = LoginRules.earlier(expiresAt, expiry(cookie));
                    }
                }
            }
        }
        return new Reading(values, expiresAt);
    }

    /** A cookie's {@code expires} is seconds since the epoch, or -1 for a session cookie. */
    private static Instant expiry(JsonNode cookie) {
        double seconds = cookie.path("expires").asDouble(-1);
        if (seconds <= 0 || cookie.path("session").asBoolean(false)) {
            return null;
        }
        return Instant.ofEpochMilli((long) (seconds * 1000));
    }

    /** One DevTools method on this window's page; an empty answer while the page cannot answer. */
    private JsonNode devTools(String method, ObjectNode params) throws InterruptedException {
        if (devTools == null) {
            devTools = browser.getDevToolsClient();
        }
        try {
            String answer = (params == null ? devTools.executeDevToolsMethod(method)
                    : devTools.executeDevToolsMethod(method, JSON.writeValueAsString(params)))
                    .get(DEVTOOLS_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
            return JSON.readTree(answer);
        } catch (ExecutionException | TimeoutException | java.io.IOException e) {
            // Between two documents the page cannot answer; the next poll asks again. No value is logged.
            return JsonNodeFactory.instance.objectNode();
        }
    }

    /**
     * Step 3: closes the browser and waits (bounded) for CEF to destroy it, which disposes the
     * client and request context; then disposes the frame.
     */
    private void close() {
        // An interrupted caller still gets its window closed: the flag is put back afterwards.
        boolean interrupted = Thread.interrupted();
        try {
            SwingUtilities.invokeAndWait(() -> {
                if (devTools != null) {
                    devTools.close();
                }
                if (closing != null) {
                    closing.close();
                }
            });
            if (closing != null) {
                closing.await(5);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (InvocationTargetException e) {
            // the browser is gone already; freeing the rest below is all that is left
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        SwingUtilities.invokeLater(() -> {
            if (frame != null) {
                frame.dispose();
            }
        });
    }
}
