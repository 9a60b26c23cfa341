package dev.latchkey.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A docker server stays in its container: arguments that let it out make its manifest not runnable, with one sentence. */
class DockerArgsTest {

    @TempDir
    Path catalog;

    @Test
    void a_manifest_that_mounts_the_docker_socket_is_listed_as_not_runnable() throws Exception {
        Files.writeString(catalog.resolve("acme__docker.json"), """
                {"name": "acme__docker", "server": {"command": "docker",
                 "args": ["run", "-i", "--rm", "-v", "/var/run/docker.sock:/var/run/docker.sock", "acme/mcp:1.0"]}}
                """);

        CatalogServer server = Catalog.load(catalog).find("acme__docker").orElseThrow();

        assertThat(server.runnable()).isFalse();
        assertThat(server.problem()).isEqualTo("its docker arguments are refused: -v /var/run/docker.sock:/var/run/docker.sock"
                + " mounts the docker socket, which controls every container and the host; a docker server runs confined by its container only");
    }

    @Test
    void privileged_host_namespaces_added_capabilities_and_the_home_are_refused() {
        assertThat(DockerArgs.problem(List.of("run", "--privileged", "img"))).contains("--privileged gives the container the whole machine");
        assertThat(DockerArgs.problem(List.of("run", "--pid=host", "img"))).contains("--pid host shares the host's namespace");
        assertThat(DockerArgs.problem(List.of("run", "--cap-add", "SYS_ADMIN", "img"))).contains("--cap-add SYS_ADMIN lets the container out");
        assertThat(DockerArgs.problem(List.of("run", "--volume=${HOME}:/home", "img"))).contains("mounts the host's root, /run or a home directory");
        assertThat(DockerArgs.problem(List.of("run", "--mount", "type=bind,source=/root,target=/r", "img"))).contains("a home directory");
        assertThat(DockerArgs.problem(List.of("run", "-v", "/:/host", "img"))).contains("the host's root");
    }

    @Test
    void an_ordinary_container_with_a_granted_directory_is_runnable() {
        assertThat(DockerArgs.problem(List.of("run", "-i", "--rm", "-e", "TOKEN", "-v", "${user_config.dir}:/data",
                "--privileged=false", "ghcr.io/acme/mcp:1.2.3"))).isNull();
    }
}
