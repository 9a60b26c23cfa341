package dev.latchkey.oauth;

import java.net.URI;
import java.util.Map;

/**
 * Finishes the flows of sign-ins whose endpoints another package found (remote MCP servers, MCP
 * authorization): they share this package's pending-flow table (state single use, verifier
 * sealed, ten minutes) and its loopback callback, and are told apart by the flow's provider.
 * {@link OAuthService#handFlows} registers one; {@link OAuthService#startFlow} starts its flows.
 */
public interface FlowHandler {

    /**
     * The callback of a flow of this handler, its state already taken and its expiry checked.
     *
     * @param query the callback's parameters ({@code code}, {@code iss}, or {@code error})
     */
    CallbackOutcome finish(String installId, URI redirectUri, Pkce pkce, Map<String, String> query);
}
