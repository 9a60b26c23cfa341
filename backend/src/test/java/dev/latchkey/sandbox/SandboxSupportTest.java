package dev.latchkey.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the probe finds: bubblewrap working (this machine), missing, or unable to make namespaces; and what to do. */
class SandboxSupportTest {

    @TempDir
    Path bin;

    @Test
    void bubblewrap_on_the_path_makes_a_sandbox_here() {
        SandboxSupport support = SandboxSupport.probe(System.getenv("PATH"));

        assertThat(support.available()).as("bubblewrap works here (./latchkey test installs it): " + support.problem()).isTrue();
        assertThat(support.report().get(0)).startsWith("sandbox: bubblewrap /");
    }

    @Test
    void without_bubblewrap_it_says_what_to_install() {
        SandboxSupport support = SandboxSupport.probe(bin.toString());

        assertThat(support.available()).isFalse();
        assertThat(support.report()).containsExactly("sandbox: none — bubblewrap (bwrap) is not installed, so servers cannot be"
                + " sandboxed: install bubblewrap (apt-get install bubblewrap)");
    }

    @Test
    void a_bubblewrap_that_cannot_make_namespaces_is_named_with_what_to_enable() throws Exception {
        Path bwrap = Files.writeString(bin.resolve("bwrap"), "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n");
        bwrap.toFile().setExecutable(true);

        SandboxSupport support = SandboxSupport.probe(bin.toString());

        assertThat(support.problem()).isEqualTo("bubblewrap cannot make the namespaces of a sandbox here (bwrap: setting up uid"
                + " map: Permission denied), so servers cannot be sandboxed: " + SandboxSupport.ENABLE);
        assertThat(support.problem()).contains("sysctl kernel.unprivileged_userns_clone=1");
    }
}
