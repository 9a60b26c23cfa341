package dev.latchkey.definition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFilesTest {

    @Test
    void lists_a_classpath_folder_inside_a_jar(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("latchkey-backend.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, "providers/", null);
            put(out, "providers/zeta.json", "{\"name\": \"zeta\"}");
            put(out, "providers/alpha.json", "{\"name\": \"alpha\"}");
            put(out, "providers/README.txt", "not a definition");
            put(out, "providers/old/beta.json", "{}");
            put(out, "other/gamma.json", "{}");
        }

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<SourceFile> files = SourceFiles.classpath(loader, "providers");

            assertThat(files).extracting(SourceFile::label)
                    .containsExactly("built-in providers/alpha.json", "built-in providers/zeta.json");
            assertThat(files).extracting(SourceFile::origin).containsOnly(Origin.BUILT_IN);
            assertThat(files).extracting(file -> new String(file.content(), UTF_8))
                    .containsExactly("{\"name\": \"alpha\"}", "{\"name\": \"zeta\"}");
        }
        // Linux deletes an open file without complaint, so ask the kernel which files are open.
        assertThat(openFiles()).as("files this JVM holds open after listing and closing the loader")
                .doesNotContain(jar.toRealPath());
    }

    @Test
    void lists_a_classpath_folder_on_disk() {
        List<SourceFile> files = SourceFiles.classpath(getClass().getClassLoader(), "provider-cases/override");

        assertThat(files).extracting(SourceFile::label).containsExactly("built-in provider-cases/override/slack.json");
    }

    @Test
    void fails_loudly_when_the_built_in_folder_is_missing() {
        assertThatThrownBy(() -> SourceFiles.classpath(getClass().getClassLoader(), "no-such-folder"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("built-in folder no-such-folder/ is not on the classpath");
    }

    /** Every file this process has open, from Linux's {@code /proc/self/fd}. */
    private static List<Path> openFiles() throws Exception {
        List<Path> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    open.add(Files.readSymbolicLink(fd));
                } catch (IOException closedMeanwhile) {
                    // The listing's own descriptor is gone by the time it is read.
                }
            }
        }
        assertThat(open).as("/proc/self/fd lists this JVM's own files").isNotEmpty();
        return open;
    }

    private static void put(JarOutputStream out, String name, String content) throws Exception {
        out.putNextEntry(new JarEntry(name));
        if (content != null) {
            OutputStream stream = out;
            stream.write(content.getBytes(UTF_8));
        }
        out.closeEntry();
    }
}
