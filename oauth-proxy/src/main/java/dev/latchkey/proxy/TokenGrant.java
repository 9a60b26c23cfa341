package dev.latchkey.proxy;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/** A validated request to {@code POST /oauth/token} (RFC 6749 §4.1.3 and §6). */
sealed interface TokenGrant permits TokenGrant.Code, TokenGrant.Refresh {

    ProviderName provider();

    /** RFC 7636 §4.1: 43-128 characters of the unreserved set. */
    Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");

    /**
     * The resource the token is for (RFC 8707 §2), passed on to the provider; null when none was
     * named. A remote MCP server's sign-in names the server's canonical URI on both requests.
     */
    URI resource();

    /** {@code grant_type=authorization_code} with the PKCE verifier. */
    record Code(ProviderName provider, String code, URI redirectUri, String codeVerifier, URI resource) implements TokenGrant {
        public Code {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(redirectUri, "redirectUri");
            if (codeVerifier == null || !VERIFIER.matcher(codeVerifier).matches()) {
                throw OAuthError.invalidRequest(
                        "code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)").failure();
            }
        }

        Code(ProviderName provider, String code, URI redirectUri, String codeVerifier) {
            this(provider, code, redirectUri, codeVerifier, null);
        }

        @Override
        public String toString() {
            return "Code[" + provider + ", redirectUri=" + redirectUri + ", resource=" + resource + "]";
        }
    }

    /** {@code grant_type=refresh_token}. */
    record Refresh(ProviderName provider, String refreshToken, URI resource) implements TokenGrant {
        public Refresh {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(refreshToken, "refreshToken");
        }

        Refresh(ProviderName provider, String refreshToken) {
            this(provider, refreshToken, null);
        }

        @Override
        public String toString() {
            return "Refresh[" + provider + ", resource=" + resource + "]";
        }
    }

    /** Reads a grant from the request parameters; the redirect URI is checked by {@code redirects}. */
    static TokenGrant parse(Fields fields, RedirectPolicy redirects) {
        String grantType = fields.required("grant_type");
        ProviderName provider = providerName(fields.required("provider"));
        return switch (grantType) {
            case "authorization_code" -> new Code(
                    provider,
                    fields.required("code"),
                    redirects.check(fields.required("redirect_uri"), provider),
                    fields.required("code_verifier"),
                    resource(fields.optional("resource")));
            case "refresh_token" -> new Refresh(provider, fields.required("refresh_token"), resource(fields.optional("resource")));
            default -> throw new OAuthError(400, "unsupported_grant_type",
                    "grant_type must be authorization_code or refresh_token").failure();
        };
    }

    /** RFC 8707 §2: an absolute URI without a fragment; at most 2,048 characters here. */
    static URI resource(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (uri.isAbsolute() && uri.getRawFragment() == null && value.length() <= 2048) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // answered below
        }
        throw OAuthError.invalidRequest("resource must be an absolute URI without a fragment (RFC 8707 §2)").failure();
    }

    static ProviderName providerName(String value) {
        try {
            return new ProviderName(value);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("unknown provider: " + e.getMessage()).failure();
        }
    }
}
