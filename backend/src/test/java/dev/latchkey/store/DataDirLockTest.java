package dev.latchkey.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
            assertThat(dataDir.resolve("latchkey.lock")).exists();
        }
    }
}
