package dev.latchkey.qa;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Starts the real Latchkey for each test and attaches Selenium to its JCEF window: the app
 * ({@link AppCommand#detect()}) on a fresh data dir, a free port and the QA switches, on the X
 * display of {@link Displays} (Xvfb and openbox of its own when there is no {@code DISPLAY});
 * then a {@link ChromeDriver} through {@code debuggerAddress} ({@link JcefDriver}).
 *
 * <p>Test methods ask for what they need as parameters: {@link WebDriver} or {@link ChromeDriver},
 * {@link LatchkeyApp} (API base, token, data dir, logs), {@link AppApi}, and {@link VirtualDisplay}
 * (only when the kit runs its own). After each test — passed, failed or interrupted — a failure's
 * {@link Evidence} is saved first, then the driver quits and the app's process group is killed;
 * a process of it still alive after that fails the test.
 *
 * <p>Plain use: {@code @ExtendWith(LatchkeyExtension.class)}. With switches or files the app needs
 * before it starts, register an instance: {@code @RegisterExtension LatchkeyExtension app = new
 * LatchkeyExtension().args(() -> standIn.switches()).dataDir(dir -> …)}; suppliers are read just
 * before each start, so a stand-in started in {@code @BeforeAll} can be named.
 */
public class LatchkeyExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    /** Writes what the app should find in its data dir at start ({@code catalog/}, {@code providers/}). */
    public interface DataDirSetup {
        void prepare(Path dataDir) throws Exception;
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LatchkeyExtension.class);

    private final List<Supplier<List<String>>> args = new ArrayList<>();
    private final Map<String, Supplier<String>> environment = new LinkedHashMap<>();
    private final List<Supplier<Map<String, String>>> environments = new ArrayList<>();
    private final List<DataDirSetup> setups = new ArrayList<>();
    private boolean video = Boolean.getBoolean(Recorder.PROPERTY);

    /** More command-line flags for the app, e.g. {@code "--proxy-url", url}. */
    public LatchkeyExtension args(String... more) {
        List<String> fixed = List.of(more);
        args.add(() -> fixed);
        return this;
    }

    /** Flags read just before each start (a stand-in's {@link StandIn#switches()}, a proxy's URL). */
    public LatchkeyExtension args(Supplier<List<String>> more) {
        args.add(more);
        return this;
    }

    /** An environment variable of the app, read just before each start. */
    public LatchkeyExtension environment(String name, Supplier<String> value) {
        environment.put(name, value);
        return this;
    }

    /** Environment variables of the app, read just before each start (a {@link SystemBrowser}'s). */
    public LatchkeyExtension environment(Supplier<Map<String, String>> variables) {
        environments.add(variables);
        return this;
    }

    /** Files to put in the data dir before the app starts. */
    public LatchkeyExtension dataDir(DataDirSetup setup) {
        setups.add(setup);
        return this;
    }

    /** Records the display for each test; the video is kept with a failure's evidence. */
    public LatchkeyExtension video() {
        video = true;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        List<String> flags = new ArrayList<>();
        args.forEach(supplier -> flags.addAll(supplier.get()));
        Map<String, String> env = new LinkedHashMap<>();
        environments.forEach(variables -> env.putAll(variables.get()));
        environment.forEach((name, value) -> env.put(name, value.get()));
        QaSession session = QaSession.open(testName(context), flags, env, setups, video);
        context.getStore(NAMESPACE).put(QaSession.class, session);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        QaSession session = context.getStore(NAMESPACE).remove(QaSession.class, QaSession.class);
        if (session != null) {
            session.close(context.getExecutionException().orElse(null));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == WebDriver.class || type == ChromeDriver.class || type == LatchkeyApp.class
                || type == AppApi.class || type == VirtualDisplay.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        QaSession session = context.getStore(NAMESPACE).get(QaSession.class, QaSession.class);
        if (session == null) {
            throw new IllegalStateException("the app is started per test: ask for "
                    + parameter.getParameter().getType().getSimpleName() + " in a test method, not in a constructor or @BeforeAll");
        }
        Class<?> type = parameter.getParameter().getType();
        if (type == LatchkeyApp.class) {
            return session.app();
        }
        if (type == AppApi.class) {
            return session.app().api();
        }
        if (type == VirtualDisplay.class) {
            VirtualDisplay own = Displays.ownIfUsed();
            if (own == null) {
                throw new IllegalStateException("the app runs on the inherited DISPLAY; for the kit's own Xvfb "
                        + "and openbox (wmctrl, window titles) run with -D" + Displays.PROPERTY + "=own");
            }
            return own;
        }
        return session.driver();
    }

    private static String testName(ExtensionContext context) {
        // A repeated or parameterized test's invocations each get a folder: "[2]" from the display name.
        String invocation = context.getDisplayName().matches(".*\\[\\d+].*") ? context.getDisplayName().replaceAll(".*(\\[\\d+]).*", "$1") : "";
        return context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName() + invocation;
    }
}
