package dev.latchkey.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A hostile MCP server (test resource {@code hostile/server.js}), installed from the user's catalog
 * folder like any other and called through the gateway, tries what a malicious package would
 * ({@link HostileRun} lists it). Every forbidden attempt fails, the allowed ones work: as the user
 * the tests run as (root, in CI) and as a user who is not root ({@code nobody}, through
 * {@code setpriv}, when the tests run as root; the tests' own user otherwise).
 */
class HostileServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NOBODY = 65534;
    private static final Path HOST_TMP_FILE = Path.of("/tmp/latchkey-hostile-pwned.txt");

    @Test
    void a_hostile_server_reaches_nothing_but_its_own_and_what_it_was_granted_as_the_tests_user() throws Exception {
        check(false);
    }

    @Test
    void a_hostile_server_reaches_nothing_but_its_own_and_what_it_was_granted_as_a_user_who_is_not_root() throws Exception {
        check(isRoot());
    }

    private void check(boolean asNobody) throws Exception {
        Files.deleteIfExists(HOST_TMP_FILE); // a run without a sandbox (a break of this test) leaves one
        // Under the build directory, not /tmp: the sandbox's /tmp is a tmpfs of its own, which would hide the layout
        // (and in it a server may write anywhere, the home's stand-in included). A clone under /tmp uses /var/tmp.
        Path target = Files.createDirectories(Path.of("target")).toAbsolutePath();
        Path base = (target.startsWith("/tmp") ? Path.of("/var/tmp") : target).resolve("hostile-" + UUID.randomUUID());
        Files.createDirectories(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path home = Files.createDirectories(base.resolve("home"));
        Path dataDir = home.resolve(".local/share/latchkey");
        Path granted = Files.createDirectories(base.resolve("granted"));
        Files.writeString(granted.resolve("hello.txt"), "hello");
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(ssh.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY----- planted by the test");
        Files.setPosixFilePermissions(ssh.resolve("id_ed25519"), PosixFilePermissions.fromString("rw-------"));
        Path script = base.resolve("server.js");
        try (InputStream in = getClass().getResourceAsStream("/hostile/server.js")) {
            Files.copy(in, script);
        }
        String canary = "canary-" + UUID.randomUUID();
        List<String> command = new ArrayList<>();
        if (asNobody) {
            chown(home, granted);
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-Duser.home=" + home,
                "-cp", classpath(base, asNobody), HostileRun.class.getName(),
                dataDir.toString(), home.toString(), granted.toString(), script.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(base.resolve("run.log").toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("LATCHKEY_HOSTILE_CANARY", canary);
        Process run = builder.start();
        assertThat(run.waitFor(15, TimeUnit.MINUTES)).as("the run ended").isTrue();
        String log = Files.readString(base.resolve("run.log"));
        String line = log.lines().filter(text -> text.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("the run gave no result (exit " + run.exitValue() + "):\n" + log));
        JsonNode out = JSON.readTree(line.substring("RESULT ".length()));
        JsonNode results = out.get("results");

        assertThat(out.at("/hostile/sandboxed").asBoolean()).as("hostile is sandboxed").isTrue();
        assertThat(out.at("/hostile/network").asBoolean()).as("hostile's network").isFalse();
        assertThat(out.at("/victim/network").asBoolean()).as("victim's network").isTrue();
        for (String forbidden : List.of("vault_key", "database", "instance_json", "gateway_json", "ssh_key", "other_read",
                "other_write", "home_write", "etc_shadow", "app_environ", "connect", "cache_package_write")) {
            assertThat(results.get(forbidden).get("ok").asBoolean()).as(forbidden + ": " + results.get(forbidden)).isFalse();
        }
        for (String allowed : List.of("granted_read", "granted_write", "own_home_write", "tmp_write", "procs", "own_env",
                "victim_connect", "victim_own_read", "cache_package_read")) {
            assertThat(results.get(allowed).get("ok").asBoolean()).as(allowed + ": " + results.get(allowed)).isTrue();
        }
        assertThat(results.at("/granted_read/value").asText()).isEqualTo("hello");
        assertThat(out.get("planted").asText()).as("the cached package after the attempt").isEqualTo("console.log('the real package')");
        assertThat(granted.resolve("made-by-server.txt")).exists();
        assertThat(Path.of(out.get("victimDir").asText()).resolve("pwned.txt")).doesNotExist();
        assertThat(home.resolve("pwned.txt")).doesNotExist();
        assertThat(HOST_TMP_FILE).as("its /tmp is its own").doesNotExist();
        assertThat(names(results.get("list_installs"))).as("the installs it sees")
                .containsExactly(out.at("/hostile/id").asText());
        assertThat(names(results.get("list_data_dir"))).as("the data dir it sees").isSubsetOf("cache", "installs");
        assertThat(names(results.get("list_home"))).as("the home it sees").isSubsetOf(".local");
        assertThat(names(results.get("procs"))).as("the processes it sees").hasSizeLessThanOrEqualTo(3)
                .noneMatch(process -> process.contains("java"));
        assertThat(results.get("own_env").toString()).doesNotContain(canary).doesNotContain("LATCHKEY_HOSTILE_CANARY");
        assertThat(results.get("pid1_environ").toString()).doesNotContain(canary);
    }

    private static List<String> names(JsonNode result) {
        List<String> names = new ArrayList<>();
        if (result.get("ok").asBoolean()) {
            result.get("value").forEach(name -> names.add(name.asText()));
        }
        return names;
    }

    private static boolean isRoot() throws IOException {
        return Files.readString(Path.of("/proc/self/status")).lines().anyMatch(line -> line.matches("Uid:\\s+0\\s.*"));
    }

    private static void chown(Path... trees) throws Exception {
        for (Path tree : trees) {
            Process chown = new ProcessBuilder("chown", "-R", NOBODY + ":" + NOBODY, tree.toString()).inheritIO().start();
            assertThat(chown.waitFor()).as("chown " + tree).isZero();
        }
    }

    /** The tests' class path; for nobody, its jars copied where nobody can read them (~/.m2 is root's). */
    private static String classpath(Path base, boolean copy) throws IOException {
        String path = System.getProperty("java.class.path");
        if (!copy) {
            return path;
        }
        Path jars = Files.createDirectories(base.resolve("classpath"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : path.split(":")) {
            Path source = Path.of(entry);
            if (Files.isRegularFile(source)) {
                Path target = jars.resolve((i++) + "-" + source.getFileName());
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                entries.add(target.toString());
            } else {
                entries.add(entry);
            }
        }
        try (Stream<Path> all = Files.walk(jars)) {
            for (Path file : all.toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(Files.isDirectory(file) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(":", entries);
    }
}
