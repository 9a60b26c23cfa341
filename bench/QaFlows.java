import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.latchkey.qa.Evidence;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs each JCEF flow class RUNS times in a row through the JUnit launcher (as surefire does, in
 * one JVM, so the kit's Xvfb and openbox are started once) and prints one tab-separated line per
 * test and run: class, method, run, seconds, PASSED or FAILED, the failure's first line. A run's
 * seconds are the test's own: the app's start on a fresh data dir, Selenium's attach, the flow,
 * the teardown of the app's process group (a class's {@code @BeforeAll} is outside them). A
 * failed run's evidence is in {@code EVIDENCE_DIR/run-N/<test>/}.
 *   java -cp E2E_TEST_CLASSPATH bench/QaFlows.java RUNS CLASS...
 */
public class QaFlows {

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Launcher launcher = LauncherFactory.create();
        // Each run's evidence in its own folder: the next run of a test empties the folder it uses.
        String evidence = System.getProperty(Evidence.DIR_PROPERTY, "target/qa-evidence");
        for (String name : List.of(args).subList(1, args.length)) {
            Class<?> flow = Class.forName(name);
            for (int run = 1; run <= runs; run++) {
                int current = run;
                System.setProperty(Evidence.DIR_PROPERTY, evidence + "/run-" + run);
                Map<String, Long> started = new ConcurrentHashMap<>();
                TestExecutionListener listener = new TestExecutionListener() {
                    @Override
                    public void executionStarted(TestIdentifier test) {
                        started.put(test.getUniqueId(), System.nanoTime());
                    }

                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        // A test, or a class whose @BeforeAll/@AfterAll failed (its tests then never ran).
                        if (!test.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                            return;
                        }
                        double seconds = (System.nanoTime() - started.getOrDefault(test.getUniqueId(), System.nanoTime())) / 1e9;
                        String why = result.getThrowable().map(t -> String.valueOf(t).lines().findFirst().orElse("")).orElse("");
                        System.out.printf("%s\t%s\t%d\t%.1f\t%s\t%s%n", flow.getSimpleName(),
                                test.isTest() ? test.getDisplayName().replaceAll("\\(.*", "") : "(class)", current, seconds,
                                result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "PASSED" : "FAILED",
                                why.replace('\t', ' '));
                        System.out.flush();
                    }
                };
                launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(flow)).build(), listener);
            }
        }
    }
}
