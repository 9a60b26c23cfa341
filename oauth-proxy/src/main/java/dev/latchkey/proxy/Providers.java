package dev.latchkey.proxy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The providers this proxy serves, by name: those whose client id and secret are configured. */
final class Providers {

    private final Map<ProviderName, OAuthProvider> registered;

    private Providers(Map<ProviderName, OAuthProvider> registered) {
        this.registered = registered;
    }

    static Providers from(List<ProviderSettings> settings, Upstream upstream) {
        Map<ProviderName, OAuthProvider> registered = new TreeMap<>();
        for (ProviderSettings provider : settings) {
            registered.put(provider.name(), switch (provider.kind()) {
                case STANDARD -> new OAuthProvider(provider, upstream);
                case SLACK -> new SlackProvider(provider, upstream);
                case GITHUB -> new GitHubProvider(provider, upstream);
                case NOTION -> new NotionProvider(provider, upstream);
            });
        }
        return new Providers(registered);
    }

    /** The registered names, sorted. */
    List<String> names() {
        return registered.keySet().stream().map(ProviderName::value).toList();
    }

    /**
     * Each registered provider's public client id, by name: the desktop app builds its
     * authorization URLs with them, so a provider is configured in one place. Never a secret.
     */
    Map<String, String> clientIds() {
        Map<String, String> ids = new TreeMap<>();
        registered.forEach((name, provider) -> ids.put(name.value(), provider.settings.clientId()));
        return ids;
    }

    /**
     * The authorization server each provider's app is registered at, by name, for those that name
     * one ({@code <NAME>_ISSUER}): the desktop app signs in to a remote MCP server whose
     * authorization server has that issuer as this app, and its token requests come here.
     */
    Map<String, String> issuers() {
        Map<String, String> issuers = new TreeMap<>();
        registered.forEach((name, provider) -> {
            if (provider.settings.issuer() != null) {
                issuers.put(name.value(), provider.settings.issuer().toString());
            }
        });
        return issuers;
    }

    boolean serves(ProviderName name) {
        return registered.containsKey(name);
    }

    /** The provider, or an {@code invalid_request} that says whether it is unknown or not configured. */
    OAuthProvider get(ProviderName name) {
        OAuthProvider provider = registered.get(name);
        if (provider != null) {
            return provider;
        }
        if (KnownProviders.all().containsKey(name)) {
            throw OAuthError.invalidRequest(name + " is not configured on this proxy (its client id and secret are not set)")
                    .failure();
        }
        throw OAuthError.invalidRequest("unknown provider \"" + name + "\"; this proxy serves: "
                + (registered.isEmpty() ? "none" : String.join(", ", names()))).failure();
    }
}
