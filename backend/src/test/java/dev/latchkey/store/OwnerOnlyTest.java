package dev.latchkey.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one file write every part of Latchkey uses: whole, and for the owner's eyes only. */
class OwnerOnlyTest {

    @TempDir
    Path dir;

    @Test
    void replacing_a_world_readable_file_leaves_it_owner_only_with_the_new_content() throws Exception {
        Path file = dir.resolve("mcp.json");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        OwnerOnly.write(file, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void a_write_leaves_no_temporary_file_beside_the_target() throws Exception {
        OwnerOnly.write(dir.resolve("gateway.json"), "{}".getBytes(StandardCharsets.UTF_8));

        try (var files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("gateway.json");
        }
    }
}
