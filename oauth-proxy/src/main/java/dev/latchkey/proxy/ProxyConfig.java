package dev.latchkey.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the proxy is told at start, built in one place from the environment (and a
 * {@code .env} file). {@code corsOrigin} and {@code clientIpHeader} are null when unset.
 *
 * <p>{@code maxInFlight} bounds the token and revocation requests one replica has under way at
 * once; past it the proxy answers 503 at once. {@code upstreamMaxConnections} and
 * {@code upstreamMaxQueued} size the client's pool towards each provider: the connections it may
 * open, and the requests that may wait for one. A provider's token endpoint answers in 50–300 ms,
 * so a replica's throughput towards it is at most {@code upstreamMaxConnections ÷ latency}.
 */
public record ProxyConfig(
        String bindAddress,
        int port,
        URI publicBaseUrl,
        String corsOrigin,
        String clientIpHeader,
        int trustedProxyHops,
        int rateLimitPerMinute,
        Duration upstreamConnectTimeout,
        Duration upstreamTimeout,
        int maxInFlight,
        int upstreamMaxConnections,
        int upstreamMaxQueued,
        List<ProviderSettings> providers) {

    static final int DEFAULT_PORT = 8787;
    /**
     * 1,024 exchanges under way: 10,000 per second with a provider answering in 100 ms, more than
     * the two cores a replica is sized for can serve; each costs a few kilobytes while it waits.
     */
    static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    /** As many connections per provider as exchanges may be in flight, so none waits for a connection. */
    static final int DEFAULT_UPSTREAM_MAX_CONNECTIONS = 1024;
    static final int DEFAULT_UPSTREAM_MAX_QUEUED = 1024;

    public ProxyConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("PORT must be 0-65535, got " + port);
        }
        if (!Set.of("http", "https").contains(publicBaseUrl.getScheme()) || publicBaseUrl.getHost() == null
                || publicBaseUrl.getRawQuery() != null || publicBaseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("PUBLIC_BASE_URL must be an http(s) URL without query, got " + publicBaseUrl);
        }
        atLeastOne("TRUSTED_PROXY_HOPS", trustedProxyHops);
        atLeastOne("RATE_LIMIT_PER_MINUTE", rateLimitPerMinute);
        atLeastOne("MAX_IN_FLIGHT", maxInFlight);
        atLeastOne("UPSTREAM_MAX_CONNECTIONS", upstreamMaxConnections);
        atLeastOne("UPSTREAM_MAX_QUEUED", upstreamMaxQueued);
        providers = List.copyOf(providers);
        Set<ProviderName> seen = new TreeSet<>();
        for (ProviderSettings provider : providers) {
            if (!seen.add(provider.name())) {
                throw new IllegalArgumentException("provider " + provider.name() + " is configured twice");
            }
        }
    }

    private static void atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    /** The public base URL without a trailing slash, e.g. {@code https://proxy.example.com}. */
    public String baseUrl() {
        String url = publicBaseUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Reads the configuration from environment variables: {@code PORT}, {@code BIND_ADDRESS},
     * {@code PUBLIC_BASE_URL}, {@code CORS_ORIGIN}, {@code CLIENT_IP_HEADER}, {@code TRUSTED_PROXY_HOPS},
     * {@code RATE_LIMIT_PER_MINUTE}, {@code UPSTREAM_CONNECT_TIMEOUT_MS}, {@code UPSTREAM_TIMEOUT_MS},
     * {@code MAX_IN_FLIGHT}, {@code UPSTREAM_MAX_CONNECTIONS}, {@code UPSTREAM_MAX_QUEUED} and, per provider, {@code <NAME>_CLIENT_ID}, {@code _CLIENT_SECRET}, {@code _TOKEN_URL},
     * {@code _REVOKE_URL}, {@code _TOKEN_AUTH}, {@code _REFRESH}, {@code _ISSUER}.
     */
    public static ProxyConfig fromEnvironment(Map<String, String> env) {
        int port = integer(env, "PORT", DEFAULT_PORT);
        String base = text(env, "PUBLIC_BASE_URL");
        return new ProxyConfig(
                Objects.requireNonNullElse(text(env, "BIND_ADDRESS"), "127.0.0.1"),
                port,
                URI.create(base != null ? base : "http://127.0.0.1:" + port),
                text(env, "CORS_ORIGIN"),
                text(env, "CLIENT_IP_HEADER"),
                integer(env, "TRUSTED_PROXY_HOPS", 1),
                integer(env, "RATE_LIMIT_PER_MINUTE", 120),
                Duration.ofMillis(integer(env, "UPSTREAM_CONNECT_TIMEOUT_MS", 3_000)),
                Duration.ofMillis(integer(env, "UPSTREAM_TIMEOUT_MS", 10_000)),
                integer(env, "MAX_IN_FLIGHT", DEFAULT_MAX_IN_FLIGHT),
                integer(env, "UPSTREAM_MAX_CONNECTIONS", DEFAULT_UPSTREAM_MAX_CONNECTIONS),
                integer(env, "UPSTREAM_MAX_QUEUED", DEFAULT_UPSTREAM_MAX_QUEUED),
                providers(env));
    }

    private static List<ProviderSettings> providers(Map<String, String> env) {
        Set<ProviderName> names = new TreeSet<>(KnownProviders.all().keySet());
        for (String key : env.keySet()) {
            String prefix = key.endsWith("_CLIENT_ID") ? key.substring(0, key.length() - "_CLIENT_ID".length()) : "";
            // Only variables shaped like a provider's count; anything else in the environment is not ours.
            if (prefix.matches("[A-Z0-9]+(_[A-Z0-9]+)*")) {
                names.add(new ProviderName(prefix.toLowerCase(Locale.ROOT).replace('_', '-')));
            }
        }
        List<ProviderSettings> registered = new ArrayList<>();
        for (ProviderName name : names) {
            String prefix = name.envPrefix();
            String id = text(env, prefix + "_CLIENT_ID");
            String secret = text(env, prefix + "_CLIENT_SECRET");
            if (id != null && secret != null) {
                registered.add(provider(name, id, secret, env));
            }
        }
        return registered;
    }

    private static ProviderSettings provider(ProviderName name, String id, String secret, Map<String, String> env) {
        String prefix = name.envPrefix();
        KnownProviders.Defaults known = KnownProviders.all().getOrDefault(name, KnownProviders.CONFIGURED);
        String tokenUrl = text(env, prefix + "_TOKEN_URL");
        if (known.tokenUrl() == null && tokenUrl == null) {
            throw new IllegalArgumentException(name + " is not a built-in provider, so " + prefix
                    + "_TOKEN_URL is needed beside " + prefix + "_CLIENT_ID and " + prefix + "_CLIENT_SECRET");
        }
        String revokeUrl = text(env, prefix + "_REVOKE_URL");
        String auth = text(env, prefix + "_TOKEN_AUTH");
        String refresh = text(env, prefix + "_REFRESH");
        String issuer = text(env, prefix + "_ISSUER");
        return new ProviderSettings(
                name,
                known.kind(),
                id,
                secret,
                tokenUrl != null ? URI.create(tokenUrl) : known.tokenUrl(),
                revokeUrl != null ? URI.create(revokeUrl) : known.revokeUrl(),
                auth != null ? ClientAuth.parse(auth, prefix + "_TOKEN_AUTH") : known.auth(),
                refresh != null ? bool(refresh, prefix + "_REFRESH") : known.refreshes(),
                issuer != null ? URI.create(issuer) : null);
    }

    private static String text(Map<String, String> env, String key) {
        String value = env.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int integer(Map<String, String> env, String key, int fallback) {
        String value = text(env, key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got \"" + value + "\"");
        }
    }

    private static boolean bool(String value, String key) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got \"" + value + "\"");
        };
    }
}
