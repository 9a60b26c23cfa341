package dev.latchkey.proxy;

import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Starts the proxy: configuration from the environment over an optional {@code .env} file (in the
 * working directory, or at {@code LATCHKEY_PROXY_ENV_FILE}), then {@link ProxyServer#create}.
 */
public final class ProxyMain {

    private ProxyMain() {
    }

    public static void main(String[] args) {
        ProxyConfig config;
        try {
            config = ProxyConfig.fromEnvironment(environment(System.getenv()));
        } catch (IllegalArgumentException e) {
            System.err.println("latchkey-oauth-proxy: " + e.getMessage());
            System.exit(2);
            return;
        }
        Javalin app = ProxyServer.create(config).start(config.bindAddress(), config.port());
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "proxy-shutdown"));
        LoggerFactory.getLogger(ProxyMain.class).info("OAuth proxy on {}:{} (public {}), providers: {}",
                config.bindAddress(), app.port(), config.baseUrl(),
                config.providers().isEmpty() ? "none configured" : config.providers().stream()
                        .map(p -> p.name().value()).toList());
    }

    /** The process environment over the {@code .env} file: a variable that is really set wins. */
    static Map<String, String> environment(Map<String, String> processEnv) {
        Map<String, String> env = new HashMap<>(EnvFile.read(Path.of(processEnv.getOrDefault("LATCHKEY_PROXY_ENV_FILE", ".env"))));
        env.putAll(processEnv);
        return env;
    }
}
