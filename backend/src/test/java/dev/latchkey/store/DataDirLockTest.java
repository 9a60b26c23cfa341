package dev.latchkey.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

    @TempDir
    Path dataDir;

    @Test
    void a_second_lock_on_the_same_data_dir_is_refused_with_the_holder_named() {
        try (DataDirLock first = DataDirLock.acquire(dataDir)) {
            assertThatThrownBy(() -> DataDirLock.acquire(dataDir))
                    .isInstanceOf(DataDirInUseException.class)
                    .hasMessage("another Latchkey is already running on data directory " + dataDir
                            + " (pid " + ProcessHandle.current().pid() + "); close it, or start this one with --data-dir pointing elsewhere");
        }
    }

    @Test
    void the_data_dir_can_be_locked_again_once_released() {
        DataDirLock.acquire(dataDir).close();

        try (DataDirLock again = DataDirLock.acquire(dataDir)) {
            assertThatThrownBy(() -> DataDirLock.acquire(dataDir)).isInstanceOf(DataDirInUseException.class);
        }
    }

    @Test
    void a_new_data_dir_is_created_for_its_owner_only(@TempDir Path parent) throws Exception {
        Path fresh = parent.resolve("latchkey");

        DataDirLock.acquire(fresh).close();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rwx------");
    }

    @Test
    void an_existing_data_dir_open_to_others_is_tightened_to_its_owner_only() throws Exception {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));

        DataDirLock.acquire(dataDir).close();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
    }
}
