package dev.latchkey.e2e.jcef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.latchkey.qa.Evidence;
import dev.latchkey.qa.LatchkeyApp;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.pages.ConnectorsPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.openqa.selenium.WebDriver;

/**
 * The kit's promise for a test that goes wrong: a failing test and one interrupted by its timeout
 * (run here through the JUnit launcher, as a QA engineer's build would run them) each leave their
 * evidence, and no process of their app is left afterwards.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KitTeardownTest {

    static final List<ProcessHandle> PROCESSES = new CopyOnWriteArrayList<>();

    /** Not run by surefire (a nested class): only through the launcher below. */
    @ExtendWith(LatchkeyExtension.class)
    static class GoesWrong {

        @Test
        void fails(WebDriver driver, LatchkeyApp app) {
            ConnectorsPage.open(driver, app);
            PROCESSES.addAll(app.processes());
            throw new AssertionError("failed on purpose");
        }

        @Test
        @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void hangs(WebDriver driver, LatchkeyApp app) throws InterruptedException {
            ConnectorsPage.open(driver, app);
            PROCESSES.addAll(app.processes());
            Thread.sleep(TimeUnit.MINUTES.toMillis(10));
        }
    }

    @Test
    void a_failed_and_a_timed_out_test_leave_screenshots_dom_and_logs_and_no_process() throws Exception {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(GoesWrong.class)).build(), summary);

        assertThat(summary.getSummary().getTotalFailureCount()).isEqualTo(2);
        assertThat(PROCESSES).as("the app and CEF's helpers were seen").hasSizeGreaterThan(2);
        assertThat(PROCESSES).as("no process left").noneMatch(ProcessHandle::isAlive);
        for (String test : List.of("fails", "hangs")) {
            Path folder = Evidence.folder("GoesWrong." + test);
            assertThat(Files.readString(folder.resolve("windows.txt"))).contains("\"Latchkey — Connectors\"");
            assertThat(Files.readString(folder.resolve("window-1.html"))).contains("data-testid=\"installed-list\"");
            assertThat(Files.size(folder.resolve("window-1.png"))).isGreaterThan(1000);
            assertThat(Files.readString(folder.resolve("app.out.log"))).contains("Latchkey is running in its window");
            assertThat(folder.resolve("app.err.log")).exists();
        }
        assertThat(Files.readString(Evidence.folder("GoesWrong.fails").resolve("failure.txt"))).contains("failed on purpose");
        assertThat(Files.readString(Evidence.folder("GoesWrong.hangs").resolve("failure.txt"))).contains("timed out");
    }
}
