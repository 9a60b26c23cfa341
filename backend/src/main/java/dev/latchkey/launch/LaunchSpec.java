package dev.latchkey.launch;

import dev.latchkey.install.Install;
import dev.latchkey.sandbox.Access;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything needed to start one install's MCP server: the command line with every placeholder
 * filled in, the server's own environment variables (the catalog's, the user's settings and the
 * connection's credentials; nothing of the app's own environment), the credential files to write
 * into its directory, and the secret values in it, so that logs can be redacted.
 *
 * <p>Holds secrets in the clear: it is handed to the runtime and never serialized. Its text form
 * names variables and files, never their values.
 *
 * @param directory the install's own directory: the server's working directory and {@code HOME}
 * @param secrets   every stored secret value that appears in it (credentials, sensitive settings)
 * @param access    what its sandbox lets it reach beyond its directory: granted paths, the network
 */
public record LaunchSpec(String installId, String command, List<String> args, Map<String, String> env,
        List<LaunchFile> files, Path directory, Set<String> secrets, Access access) {

    public LaunchSpec {
        Objects.requireNonNull(installId, "installId");
        Objects.requireNonNull(command, "command");
        args = List.copyOf(args);
        env = Map.copyOf(env);
        files = List.copyOf(files);
        Objects.requireNonNull(directory, "directory");
        secrets = Set.copyOf(secrets);
        Objects.requireNonNull(access, "access");
    }

    /** A spec with nothing granted and the network on. */
    public LaunchSpec(String installId, String command, List<String> args, Map<String, String> env,
            List<LaunchFile> files, Path directory, Set<String> secrets) {
        this(installId, command, args, env, files, directory, secrets, Access.DEFAULT);
    }

    /** Where its credential files are written: each a path under {@link #directory}. */
    public List<Path> filePaths() {
        return files.stream().map(file -> directory.resolve(file.path()).normalize()).toList();
    }

    /** The names of the server's environment variables, sorted; what the UI may show. */
    public List<String> envNames() {
        return List.copyOf(new TreeSet<>(env.keySet()));
    }

    /** The arguments with every secret value replaced by {@link Install#MASK}; what the UI may show. */
    public List<String> maskedArgs() {
        return args.stream().map(this::redact).toList();
    }

    /** {@code text} with every secret value of this spec replaced by {@link Install#MASK}. */
    public String redact(String text) {
        String redacted = text;
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                redacted = redacted.replace(secret, Install.MASK);
            }
        }
        return redacted;
    }

    @Override
    public String toString() {
        return "LaunchSpec[" + installId + ": " + command + " " + maskedArgs() + ", env " + envNames() + ", files "
                + files.stream().map(LaunchFile::path).toList() + "]";
    }
}
