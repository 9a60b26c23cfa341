package dev.latchkey.browser.jcef;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.browser.LoginPage;
import dev.latchkey.browser.LoginRules;
import dev.latchkey.browser.SignInPoll;
import dev.latchkey.login.LoginCancel;
import dev.latchkey.login.LoginOutcome;
import dev.latchkey.login.LoginRequest;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.cef.handler.CefResourceRequestHandler;
import org.cef.handler.CefResourceRequestHandlerAdapter;
import org.cef.misc.BoolRef;
import org.cef.misc.StringRef;
import org.cef.network.CefResponse;
import org.cef.network.CefRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sign-in in one JCEF window, as steps:
 * <ol>
 *   <li>open (on the Swing thread): a frame with a bar that always shows the current host and the
 *       latest refusal, and a browser on {@code loginUrl} in a new in-memory request context (cookies
 *       and storage of its own). Its handlers judge every navigation of every frame — typed,
 *       redirect, link or script — by the {@link LoginRules} in {@code onBeforeBrowse}, cancelling an
 *       off-rule one; pop-ups never open: an allowed one loads in place, any other is refused;</li>
 *   <li>poll on the caller's thread ({@link SignInPoll}, shared with the Chromium window): once the
 *       URL is ready, read the values over the browser's DevTools client (scripts by
 *       {@code Runtime.evaluate} in an isolated world, cookies by {@code Network.getAllCookies},
 *       HttpOnly included) until each has its shape;</li>
 *   <li>end on values, the user closing the window, a cancel, or the timeout: the browser is
 *       closed ({@code close(true)}); once CEF has destroyed it, its client and request context are
 *       disposed (on CEF's thread), and the frame is disposed.</li>
 * </ol>
 */
final class LoginWindow implements LoginPage {

    private static final Logger LOG = LoggerFactory.getLogger(LoginWindow.class);
    private static final Duration DEVTOOLS_ANSWER = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> ANSWER = new TypeReference<>() { };

    private final LoginRequest request;
    private final LoginRules rules;
    private final SignInPoll poll;
    private final AtomicReference<String> address = new AtomicReference<>("");
    private CefClient client;
    private CefRequestContext context;
    private CefBrowser browser;
    private BrowserClosing closing;
    private JFrame frame;
    private JLabel host;
    private JLabel refusal;
    private CefDevToolsClient devTools;
    private int unanswered;

    private LoginWindow(LoginRequest request, Clock clock) {
        this.request = request;
        this.rules = new LoginRules(request.settings());
        this.poll = new SignInPoll(request, rules, clock);
    }

    /** Runs one sign-in to its outcome; the window is gone when this returns. */
    static LoginOutcome run(CefRuntime cef, LoginRequest request, Clock clock, LoginCancel cancel) {
        LoginWindow window = new LoginWindow(request, clock);
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
            return window.poll.run(window, cancel);
        } finally {
            window.close();
        }
    }

    /** Reports each server redirect of a navigation to the rules, before the redirected request is judged. */
    private final CefResourceRequestHandler redirects = new CefResourceRequestHandlerAdapter() {
        @Override
        public void onResourceRedirect(CefBrowser b, CefFrame f, CefRequest request, CefResponse response, StringRef newUrl) {
            rules.redirected(request.getURL(), newUrl.get());
        }
    };

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

            /** Navigations only: their server redirects tell the rules where a request came from (SSO tenants). */
            @Override
            public CefResourceRequestHandler getResourceRequestHandler(CefBrowser b, CefFrame f, CefRequest request,
                    boolean isNavigation, boolean isDownload, String initiator, BoolRef disableDefaultHandling) {
                return isNavigation ? redirects : null;
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
        poll.refused(what);
        SwingUtilities.invokeLater(() -> refusal.setText("Blocked " + what + ": not one of this service's hosts"));
        return true;
    }

    /** A pop-up or new tab never opens a window: an allowed one loads here, any other is refused. */
    private void loadInPlace(String url) {
        if (!refuses("pop-up to ", url)) {
            browser.loadURL(url);
        }
    }

    @Override
    public String address() {
        return address.get();
    }

    @Override
    public boolean gone() {
        return closing.isDestroyed();
    }

    @Override
    public void pause(Duration poll) throws InterruptedException {
        Thread.sleep(poll.toMillis());
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> cookies() {
        Object cookies = devTools("Network.getAllCookies", Map.of()).get("cookies");
        return cookies instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    /** One DevTools method on this window's page, over the browser's DevTools client; an empty answer while it cannot answer. */
    @Override
    public Map<String, Object> devTools(String method, Map<String, Object> params) {
        if (devTools == null) {
            devTools = browser.getDevToolsClient();
            if (devTools == null) {
                return Map.of(); // the browser is not created yet, or closing
            }
        }
        try {
            String answer = (params.isEmpty() ? devTools.executeDevToolsMethod(method)
                    : devTools.executeDevToolsMethod(method, JSON.writeValueAsString(params)))
                    .get(DEVTOOLS_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
            unanswered = 0;
            return JSON.readValue(answer, ANSWER);
        } catch (ExecutionException | TimeoutException | java.io.IOException e) {
            // Between two documents the page cannot answer; the next poll asks again. No value is logged.
            if (++unanswered == 3) {
                LOG.info("the login window's DevTools did not answer 3 calls in a row (the last, {}: {}); asking on",
                        method, e.getClass().getSimpleName());
            }
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
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
