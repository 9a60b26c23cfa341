package dev.latchkey.remote;

import dev.latchkey.definition.Unguessable;
import dev.latchkey.oauth.Pkce;
import java.net.URI;
import java.util.Optional;

/**
 * A whole remote sign-in, for a caller that can wait for the user (a {@link Browser}): discovery
 * from the server's challenge, the client, the authorization request, the callback's checks and
 * the code exchange. The scope follows MCP authorization's "Scope Selection Strategy": the
 * challenge's {@code scope}, else the metadata's {@code scopes_supported}, else none.
 */
final class RemoteAuthorizer {

    private final Discovery discovery;
    private final Registrar registrar;
    private final TokenClient tokens;

    RemoteAuthorizer(Discovery discovery, Registrar registrar, TokenClient tokens) {
        this.discovery = discovery;
        this.registrar = registrar;
        this.tokens = tokens;
    }

    /** A finished sign-in: where, as whom, which scope was asked for, and the tokens. */
    record Grant(Discovery.Target target, RemoteClient client, Optional<String> scope, Tokens tokens) {
    }

    /**
     * Signs in to {@code server} after its {@code challenge}; {@code previous} (a step-up) adds its
     * scopes to the ones asked for now.
     */
    Grant signIn(URI server, Challenge challenge, Optional<Grant> previous, Optional<RemoteClient> given, Browser browser) {
        Discovery.Target target = discovery.discover(server, challenge);
        Optional<String> scope = scope(challenge, target, previous.flatMap(Grant::scope));
        RemoteClient client = registrar.client(target.authServer(), browser.redirectUri(), given);
        Pkce pkce = Pkce.generate();
        AuthorizationRequest request = new AuthorizationRequest(target, client, browser.redirectUri(), state(), pkce, scope);
        String code = request.code(browser.authorize(request.url(), request.state()));
        Tokens issued = tokens.exchange(target.authServer().tokenEndpoint(), client, code, pkce, browser.redirectUri(),
                target.resourceIndicator());
        return new Grant(target, client, scope, issued);
    }

    static Optional<String> scope(Challenge challenge, Discovery.Target target, Optional<String> previous) {
        Optional<String> wanted = challenge.scope().or(() -> target.resource().scopesSupported().isEmpty()
                ? Optional.empty() : Optional.of(String.join(" ", target.resource().scopesSupported())));
        if (previous.isEmpty()) {
            return wanted;
        }
        return Optional.of(StepUp.union(previous, wanted.orElse("")));
    }

    /** Whether a step-up to {@code challenge}'s scopes would ask for anything {@code grant} did not. */
    static boolean widens(Grant grant, Challenge challenge) {
        return StepUp.widens(grant.scope(), challenge);
    }

    private static String state() {
        return Unguessable.token();
    }
}
