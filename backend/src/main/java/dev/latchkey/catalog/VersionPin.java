package dev.latchkey.catalog;

import dev.latchkey.definition.Origin;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a server's command names one release of what it fetches: an npm package run by
 * {@code npx} ({@code name@1.2.3}), a Python package run by {@code uvx} ({@code name@1.2.3}, or
 * {@code --from name==1.2.3}), an image run by {@code docker run} (a tag
 * other than {@code latest}, or a digest). Without one, each start may fetch another release than
 * the one that was checked: every built-in server is pinned (a test holds it) and
 * {@code latchkey doctor} names each user-folder server that is not. Other commands fetch nothing.
 */
public final class VersionPin {

    /** One exact version: 1.2.3, 2026.8.31, v1.11.0, 0.0.1.dev5 — never a range, a wildcard or a word. */
    private static final Pattern EXACT = Pattern.compile("v?\\d+(\\.\\d+)*([-+.][0-9A-Za-z.-]+)?");
    /** {@code docker run} options that take the next argument as their value. */
    private static final Set<String> DOCKER_VALUED = Set.of("-e", "--env", "--env-file", "-v", "--volume", "--mount",
            "--name", "-p", "--publish", "--network", "--net", "-w", "--workdir", "-u", "--user", "--entrypoint",
            "--platform", "-l", "--label", "--add-host", "--cpus", "-m", "--memory", "--pull", "-h", "--hostname");
    private static final Set<String> UVX_VALUED = Set.of("--with", "--python", "-p", "--index", "--index-url");

    private VersionPin() {
    }

    /** One line per server of the user's catalog folder that is not pinned, naming it and what to write. */
    public static List<String> unpinned(Catalog catalog) {
        return catalog.servers().stream()
                .filter(server -> server.source() == Origin.USER)
                .flatMap(server -> problem(server.server())
                        .map(why -> "unpinned: " + server.name() + " (your catalog folder): " + why).stream())
                .toList();
    }

    /** Why {@code server} is not pinned to one release (a sentence), or empty when it is or fetches nothing. */
    public static Optional<String> problem(ServerSpec server) {
        if (server.isRemote() || server.command() == null) {
            return Optional.empty();
        }
        return switch (server.command()) {
            case "npx" -> first(server.args(), Set.of(), "--package", "-p").flatMap(VersionPin::npm);
            case "uvx" -> uvx(server.args());
            case "docker" -> server.args().isEmpty() || !server.args().get(0).equals("run") ? Optional.empty()
                    : first(server.args().subList(1, server.args().size()), DOCKER_VALUED, null, null)
                            .flatMap(VersionPin::image);
            default -> Optional.empty();
        };
    }

    /**
     * The first argument that is not an option (nor an option's value), or the value of
     * {@code named} / {@code alias} when that comes first.
     */
    private static Optional<String> first(List<String> args, Set<String> valued, String named, String alias) {
        Iterator<String> it = args.iterator();
        while (it.hasNext()) {
            String arg = it.next();
            if (named != null && (arg.equals(named) || arg.equals(alias)) && it.hasNext()) {
                return Optional.of(it.next());
            }
            if (named != null && arg.startsWith(named + "=")) {
                return Optional.of(arg.substring(named.length() + 1));
            }
            if (!arg.startsWith("-")) {
                return Optional.of(arg);
            }
            if (valued.contains(arg) && it.hasNext()) {
                it.next();
            }
        }
        return Optional.empty();
    }

    private static Optional<String> npm(String spec) {
        int at = spec.indexOf('@', spec.startsWith("@") ? 1 : 0);
        if (at < 0) {
            return fetches("npx", spec, null, spec + "@1.2.3");
        }
        String name = spec.substring(0, at);
        return EXACT.matcher(spec.substring(at + 1)).matches() ? Optional.empty()
                : fetches("npx", name, spec, name + "@1.2.3");
    }

    /** {@code uvx name@1.2.3}, or {@code uvx --from 'name==1.2.3' command} (uv's two ways to ask for one version). */
    private static Optional<String> uvx(List<String> args) {
        Optional<String> spec = first(args, UVX_VALUED, "--from", null);
        boolean from = args.stream().anyMatch(arg -> arg.equals("--from") || arg.startsWith("--from="));
        return spec.flatMap(value -> python(value, from ? "==|@" : "@"));
    }

    private static Optional<String> python(String spec, String exactly) {
        String[] parts = spec.split(exactly, 2);
        String name = parts[0].split("[<>=!~\\[ ;]", 2)[0];
        if (parts.length == 2 && EXACT.matcher(parts[1].strip()).matches()) {
            return Optional.empty();
        }
        return fetches("uvx", name, name.equals(spec) ? null : spec, name + "@1.2.3");
    }

    private static Optional<String> image(String image) {
        if (image.contains("@sha256:")) {
            return Optional.empty();
        }
        int colon = image.lastIndexOf(':');
        if (colon < image.lastIndexOf('/') + 1) {
            return Optional.of("docker runs " + image + " with no tag: each start may pull another image; pin one, e.g. "
                    + image + ":1.2.3");
        }
        String tag = image.substring(colon + 1);
        return tag.equals("latest") ? Optional.of("docker runs " + image + ", which is not one version: each start may "
                + "pull another image; pin one, e.g. " + image.substring(0, colon) + ":1.2.3") : Optional.empty();
    }

    private static Optional<String> fetches(String command, String name, String loose, String example) {
        String what = loose == null ? name + " with no version" : loose + ", which is not one version";
        return Optional.of(command + " runs " + what + ": each start may fetch another release; pin one, e.g. " + example);
    }
}
