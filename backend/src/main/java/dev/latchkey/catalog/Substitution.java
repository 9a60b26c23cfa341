package dev.latchkey.catalog;

import dev.latchkey.definition.Placeholder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills in a manifest's launch line (MCPB placeholders) for one install.
 *
 * <ul>
 *   <li>An argument that is exactly {@code ${user_config.key}} becomes one argument per value of a
 *       {@code multiple} field, one argument otherwise, and is dropped when an optional field is unset.</li>
 *   <li>Inside a larger string a placeholder is replaced by its text (list items joined by
 *       {@code ","}); an unset optional field becomes empty.</li>
 *   <li>An environment variable that is exactly an unset optional placeholder is left out.</li>
 *   <li>A required field with no value is an {@link InvalidUserConfigException}: a literal
 *       {@code ${…}} never reaches the server.</li>
 * </ul>
 */
public final class Substitution {

    private final CatalogServer server;
    private final Map<String, Object> config;
    private final Map<String, String> builtIns;

    private Substitution(CatalogServer server, Map<String, Object> config, Path home, Path serverDir) {
        this.server = server;
        this.config = config == null ? Map.of() : config;
        this.builtIns = Placeholders.builtIns(home, serverDir);
    }

    /**
     * @param validatedConfig the output of {@link UserConfig#validate}
     * @param home            what {@code ${HOME}} stands for
     * @param serverDir       the server's own directory: {@code ${__dirname}}, where credential files go
     * @throws IllegalArgumentException    when the server is not runnable (its problem says why)
     * @throws InvalidUserConfigException  when a required value is missing
     */
    public static ServerLaunch resolve(CatalogServer server, Map<String, Object> validatedConfig, Path home,
            Path serverDir) {
        if (!server.runnable()) {
            throw new IllegalArgumentException(server.name() + " cannot be run: " + server.problem());
        }
        if (server.server().isRemote()) {
            throw new IllegalArgumentException(server.name() + " is a remote server at " + server.server().url()
                    + ": Latchkey connects to it, there is nothing to launch");
        }
        return new Substitution(server, validatedConfig, home, serverDir).launch();
    }

    /**
     * The headers a remote server is sent (an API key, e.g. {@code Authorization: Bearer
     * ${user_config.api_key}}), filled in as environment values are: one that is exactly an unset
     * optional placeholder is left out.
     */
    public static Map<String, String> headers(CatalogServer server, Map<String, Object> validatedConfig) {
        Substitution substitution = new Substitution(server, validatedConfig, Path.of(""), Path.of(""));
        Map<String, String> headers = new LinkedHashMap<>();
        server.server().headers().forEach((name, template) -> {
            String key = Placeholders.wholeUserConfig(template);
            if (key == null || substitution.value(key) != null) {
                headers.put(name, substitution.inText(template));
            }
        });
        return headers;
    }

    private ServerLaunch launch() {
        String command = inText(server.server().command());
        List<String> args = new ArrayList<>();
        for (String arg : server.server().args()) {
            String key = Placeholders.wholeUserConfig(arg);
            if (key == null) {
                args.add(inText(arg));
                continue;
            }
            Object value = value(key);
            if (value instanceof Collection<?> items) {
                items.forEach(item -> args.add(text(item)));
            } else if (value != null) {
                args.add(text(value));
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        server.server().env().forEach((name, template) -> {
            String key = Placeholders.wholeUserConfig(template);
            if (key != null && value(key) == null) {
                return;
            }
            env.put(name, inText(template));
        });
        return new ServerLaunch(command, args, env);
    }

    private String inText(String template) {
        return Placeholder.fill(template, name -> {
            if (name.startsWith(Placeholders.USER_CONFIG)) {
                Object value = value(name.substring(Placeholders.USER_CONFIG.length()));
                return value instanceof Collection<?> items
                        ? String.join(",", items.stream().map(this::text).toList())
                        : value == null ? "" : text(value);
            }
            if (builtIns.containsKey(name)) {
                return builtIns.get(name);
            }
            throw new IllegalArgumentException(server.name() + ": " + Placeholder.of(name) + " cannot be filled in");
        });
    }

    /** The value of a setting; null when an optional one is unset. */
    private Object value(String key) {
        Object value = config.get(key);
        boolean empty = value == null || value instanceof Collection<?> c && c.isEmpty();
        UserConfigField field = server.userConfig().get(key);
        if (empty && field != null && field.required()) {
            throw new InvalidUserConfigException(key, "a value is required");
        }
        return empty ? null : value;
    }

    // Defaults may point into the server's directory; only the built-ins are filled in inside a value.
    private String text(Object value) {
        return Placeholders.fillBuiltIns(value.toString(), builtIns);
    }
}
