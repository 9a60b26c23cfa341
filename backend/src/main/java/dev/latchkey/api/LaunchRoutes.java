package dev.latchkey.api;

import dev.latchkey.launch.LaunchFile;
import dev.latchkey.launch.LaunchSpec;
import dev.latchkey.launch.LaunchSpecs;
import io.javalin.config.RoutesConfig;
import java.util.List;

/** What an install's server would be started with: names and masked values only, never a secret. */
final class LaunchRoutes {

    /** The safe view of a {@link LaunchSpec}. */
    record LaunchView(String command, List<String> args, List<String> env, List<String> files) {
    }

    private LaunchRoutes() {
    }

    static void register(RoutesConfig routes, LaunchSpecs launchSpecs) {
        routes.get("/api/installs/{id}/launch", ctx -> {
            LaunchSpec spec = launchSpecs.forInstall(ctx.pathParam("id"));
            ctx.json(new LaunchView(spec.command(), spec.maskedArgs(), spec.envNames(),
                    spec.files().stream().map(LaunchFile::path).toList()));
        });
    }
}
