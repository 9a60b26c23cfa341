package dev.latchkey.desktop;

import static dev.latchkey.desktop.AppProcesses.exitCode;
import static dev.latchkey.desktop.AppProcesses.firstLine;
import static dev.latchkey.desktop.AppProcesses.stderr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.store.InstanceFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Latchkey per data directory (and so per user), on real processes: a second start hands over
 * to the first and exits 0, the first running on untouched; a start after {@code kill -9} takes
 * the stale lock and socket over; another user's app is named, never asked.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SingleInstanceTest {

    private static final Pattern RUNNING = Pattern.compile("^Latchkey is running\\. Open http://127\\.0\\.0\\.1:(\\d+)/\\?code=\\S+$");
    private static final Pattern HANDED_OVER =
            Pattern.compile("^Latchkey is already running\\. Open http://127\\.0\\.0\\.1:(\\d+)/\\?code=[A-Za-z0-9_-]{43}$");

    @TempDir
    Path dataDir;

    private final AppProcesses apps = new AppProcesses();

    @AfterEach
    void killApps() throws InterruptedException {
        apps.killAll();
    }

    @Test
    void a_second_start_hands_over_to_the_running_app_and_exits_0_leaving_it_running() throws Exception {
        Process first = apps.start("--headless", "--data-dir", dataDir.toString());
        String port = port(RUNNING, firstLine(first));

        Process second = apps.start("--data-dir", dataDir.toString());

        assertThat(exitCode(second)).isZero();
        assertThat(port(HANDED_OVER, firstLine(second))).as("the running app's port").isEqualTo(port);
        assertThat(first.isAlive()).as("the first app keeps running").isTrue();
        assertThat(catalogStatus(InstanceFile.read(dataDir).orElseThrow())).isEqualTo(200);
    }

    @Test
    void two_starts_at_once_end_with_one_app_running_and_the_other_handed_over() throws Exception {
        Process one = apps.start("--headless", "--data-dir", dataDir.toString());
        Process other = apps.start("--headless", "--data-dir", dataDir.toString());

        String oneLine = firstLine(one);
        String otherLine = firstLine(other);

        List<String> lines = List.of(oneLine, otherLine);
        assertThat(lines).as("one app started, the other handed over").anyMatch(line -> RUNNING.matcher(line).find())
                .anyMatch(line -> HANDED_OVER.matcher(line).find());
        Process handedOver = HANDED_OVER.matcher(oneLine).find() ? one : other;
        assertThat(exitCode(handedOver)).isZero();
        assertThat((handedOver == one ? other : one).isAlive()).isTrue();
    }

    @Test
    void after_kill_9_the_next_start_takes_the_stale_lock_and_socket_over() throws Exception {
        Process killed = apps.start("--headless", "--data-dir", dataDir.toString());
        firstLine(killed);
        killed.destroyForcibly(); // SIGKILL: no shutdown hook runs
        killed.waitFor(30, TimeUnit.SECONDS);
        assertThat(dataDir.resolve(InstanceSocket.NAME)).as("left behind by the killed app").exists();
        assertThat(dataDir.resolve(InstanceFile.NAME)).as("left behind by the killed app").exists();

        Process next = apps.start("--headless", "--data-dir", dataDir.toString());

        String port = port(RUNNING, firstLine(next));
        assertThat(InstanceFile.read(dataDir).orElseThrow().pid()).isEqualTo(next.pid());
        Process third = apps.start("--headless", "--data-dir", dataDir.toString());
        assertThat(exitCode(third)).isZero();
        assertThat(port(HANDED_OVER, firstLine(third))).as("handed over to the new app").isEqualTo(port);
    }

    @Test
    void a_data_dir_in_use_by_another_users_app_is_refused_naming_that_user() throws Exception {
        assertThat(new com.sun.security.auth.module.UnixSystem().getUid())
                .as("this test runs the first app as user nobody through setpriv, which needs root (CI runs ./latchkey test as root)")
                .isZero();
        Path shared = Files.createTempDirectory("latchkey-other-user");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path theirs = Files.createDirectory(shared.resolve("data"));
        Files.setOwner(theirs, theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        command.addAll(AppProcesses.command(readableClassPath(shared), "--headless", "--data-dir", theirs.toString()));
        Process nobodys = apps.start(Map.of("HOME", shared.toString()), command);
        assertThat(firstLine(nobodys)).as("nobody's app started").matches(RUNNING);

        Process mine = apps.start("--headless", "--data-dir", theirs.toString());

        assertThat(exitCode(mine)).isEqualTo(1);
        assertThat(stderr(mine)).startsWith("latchkey: data directory " + theirs + " is in use by the Latchkey of user nobody"
                + " (pid " + nobodys.pid() + "); each user runs a Latchkey of their own");
        assertThat(nobodys.isAlive()).as("nobody's app is left alone").isTrue();
    }

    /**
     * This test JVM's class path, copied where user nobody can read it (the local Maven repository
     * is under root's home); the browser's natives are left out: the app runs headless.
     */
    private static String readableClassPath(Path shared) throws Exception {
        Path lib = Files.createDirectory(shared.resolve("lib"));
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(":")) {
            Path path = Path.of(entry);
            if (path.getFileName().toString().startsWith("jcef-natives")) {
                continue;
            }
            if (Files.isRegularFile(path)) {
                Path copy = lib.resolve(entries.size() + "-" + path.getFileName());
                Files.copy(path, copy, StandardCopyOption.COPY_ATTRIBUTES);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                entries.add(copy.toString());
            } else {
                entries.add(entry); // target/classes of this checkout, readable by all
            }
        }
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
        return String.join(":", entries);
    }

    private static String port(Pattern pattern, String line) {
        assertThat(line).as("a line of the app").isNotNull();
        Matcher matcher = pattern.matcher(line);
        assertThat(matcher.find()).as(pattern + " in: " + line).isTrue();
        return matcher.group(1);
    }

    private static int catalogStatus(InstanceFile instance) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port()
                        + "/api/catalog")).header("Authorization", "Bearer " + instance.apiToken()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
