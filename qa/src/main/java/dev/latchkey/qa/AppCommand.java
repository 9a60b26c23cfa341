package dev.latchkey.qa;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which Latchkey the kit starts, decided once from the system properties and environment:
 * <ol>
 *   <li>{@value #LAUNCHER_PROPERTY} (or {@code LATCHKEY_QA_LAUNCHER}): an installed launcher, e.g.
 *       {@code /usr/bin/latchkey}, run as a user runs it;</li>
 *   <li>{@value #APP_PROPERTY} (or {@code LATCHKEY_QA_APP}): a built app, the folder holding
 *       {@code latchkey-desktop.jar} and {@code lib/} (the desktop module's {@code target/});</li>
 *   <li>otherwise {@code desktop/target} of the nearest folder above the working directory that has one.</li>
 * </ol>
 *
 * @param command     the program and its first arguments; the kit appends the app's flags
 * @param environment what is set on top of the test JVM's environment
 * @param description one phrase for logs and failures, e.g. "the built jar in /src/desktop/target"
 */
public record AppCommand(List<String> command, Map<String, String> environment, String description) {

    public static final String LAUNCHER_PROPERTY = "latchkey.qa.launcher";
    public static final String APP_PROPERTY = "latchkey.qa.app";
    /** Where a built app's JCEF natives are extracted (default: {@code jcef/} beside the jar), shared by every start. */
    public static final String JCEF_DIR_PROPERTY = "latchkey.qa.jcefDir";

    public AppCommand {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    /** The app named by the properties or environment, or the built one found above the working directory. */
    public static AppCommand detect() {
        Optional<String> launcher = setting(LAUNCHER_PROPERTY, "LATCHKEY_QA_LAUNCHER");
        if (launcher.isPresent()) {
            return installed(Path.of(launcher.get()));
        }
        Optional<String> app = setting(APP_PROPERTY, "LATCHKEY_QA_APP");
        if (app.isPresent()) {
            return built(Path.of(app.get()));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("desktop/target/latchkey-desktop.jar"))) {
                return built(dir.resolve("desktop/target"));
            }
        }
        throw new IllegalStateException("no Latchkey to start: name an installed launcher with -D" + LAUNCHER_PROPERTY
                + "=/usr/bin/latchkey, or a built app with -D" + APP_PROPERTY + "=<desktop/target> (build it: "
                + "mvn -pl desktop -am package -DskipTests)");
    }

    /** An installed launcher, which sets its own JVM, natives and sandbox settings. */
    public static AppCommand installed(Path launcher) {
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException(LAUNCHER_PROPERTY + ": " + launcher + " is not an executable file");
        }
        return new AppCommand(List.of(launcher.toString()), Map.of(), "the installed launcher " + launcher);
    }

    /** The built app in {@code dir} ({@code latchkey-desktop.jar} and {@code lib/}), on the test's own Java. */
    public static AppCommand built(Path dir) {
        Path jar = dir.resolve("latchkey-desktop.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar) || !Files.isDirectory(dir.resolve("lib"))) {
            throw new IllegalStateException(APP_PROPERTY + ": " + dir.toAbsolutePath()
                    + " holds no latchkey-desktop.jar and lib/; build it: mvn -pl desktop -am package -DskipTests");
        }
        Path folder = jar.getParent();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("LATCHKEY_JCEF_DIR", setting(JCEF_DIR_PROPERTY, "LATCHKEY_QA_JCEF_DIR")
                .orElse(folder.resolve("jcef").toString()));
        // The same JVM flags as ./latchkey (C1 only, serial GC, a small first heap).
        return new AppCommand(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms16m",
                "-cp", jar + ":" + folder.resolve("lib") + "/*", "dev.latchkey.desktop.Main"),
                environment, "the built jar in " + folder);
    }

    private static Optional<String> setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
