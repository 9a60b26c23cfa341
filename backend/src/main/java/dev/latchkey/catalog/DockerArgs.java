package dev.latchkey.catalog;

import java.util.List;
import java.util.Locale;

/**
 * A {@code docker} server is confined by its container, not by bubblewrap (which would have to
 * give it the docker socket, and with it the machine). So the container must stay one: a
 * manifest whose arguments make it privileged, share the host's process or user namespaces, add
 * capabilities, or mount the user's home, the root or the docker socket is not runnable.
 */
final class DockerArgs {

    private DockerArgs() {
    }

    /** Why these {@code docker} arguments are refused, as one sentence; null when they are not. */
    static String problem(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : i + 1 < args.size() ? args.get(i + 1) : "";
            switch (flag) {
                case "--privileged" -> {
                    if (!"false".equals(arg.contains("=") ? value : "")) {
                        return refused("--privileged gives the container the whole machine");
                    }
                }
                case "--pid", "--ipc", "--userns", "--uts", "--cgroupns" -> {
                    if ("host".equals(value)) {
                        return refused(flag + " host shares the host's namespace with the container");
                    }
                }
                case "--cap-add" -> {
                    String cap = value.toUpperCase(Locale.ROOT);
                    if (cap.equals("ALL") || cap.contains("SYS_ADMIN") || cap.contains("SYS_PTRACE")) {
                        return refused("--cap-add " + value + " lets the container out");
                    }
                }
                case "-v", "--volume", "--mount" -> {
                    String source = flag.equals("--mount") ? mountSource(value) : value.split(":", 2)[0];
                    String why = forbiddenSource(source);
                    if (why != null) {
                        return refused(flag + " " + value + " mounts " + why);
                    }
                }
                default -> {
                    // other flags keep the container a container
                }
            }
        }
        return null;
    }

    private static String refused(String why) {
        return "its docker arguments are refused: " + why + "; a docker server runs confined by its container only";
    }

    private static String mountSource(String spec) {
        for (String part : spec.split(",")) {
            String[] pair = part.split("=", 2);
            if (pair.length == 2 && List.of("source", "src").contains(pair[0].trim())) {
                return pair[1].trim();
            }
        }
        return "";
    }

    private static String forbiddenSource(String source) {
        String path = source.trim();
        if (path.contains("docker.sock")) {
            return "the docker socket, which controls every container and the host";
        }
        if (path.equals("/") || path.equals("~") || path.startsWith("~/") || path.startsWith("${HOME}")
                || path.startsWith("$HOME") || path.equals("/home") || path.startsWith("/home/")
                || path.equals("/root") || path.startsWith("/root/") || path.startsWith("/run") || path.startsWith("/var/run")) {
            return "the host's root, /run or a home directory (keys and Latchkey's data live there)";
        }
        return null;
    }
}
