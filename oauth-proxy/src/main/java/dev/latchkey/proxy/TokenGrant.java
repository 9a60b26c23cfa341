package dev.latchkey.proxy;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/** A validated request to {@code POST /oauth/token} (RFC 6749 §4.1.3 and §6). */
sealed interface TokenGrant permits TokenGrant.Code, TokenGrant.Refresh {

    ProviderName provider();

    /** RFC 7636 §4.1: 43-128 characters of the unreserved set. */
    Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");

    /** {@code grant_type=authorization_code} with the PKCE verifier. */
    record Code(ProviderName provider, String code, URI redirectUri, String codeVerifier) implements TokenGrant {
        public Code {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(redirectUri, "redirectUri");
            if (codeVerifier == null || !VERIFIER.matcher(codeVerifier).matches()) {
                throw OAuthError.invalidRequest(
                        "code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)").failure();
            }
        }

        @Override
        public String toString() {
            return "Code[" + provider + ", redirectUri=" + redirectUri + "]";
        }
    }

    /** {@code grant_type=refresh_token}. */
    record Refresh(ProviderName provider, String refreshToken) implements TokenGrant {
        public Refresh {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(refreshToken, "refreshToken");
        }

        @Override
        public String toString() {
            return "Refresh[" + provider + "]";
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
                    fields.required("code_verifier"));
            case "refresh_token" -> new Refresh(provider, fields.required("refresh_token"));
            default -> throw new OAuthError(400, "unsupported_grant_type",
                    "grant_type must be authorization_code or refresh_token").failure();
        };
    }

    static ProviderName providerName(String value) {
        try {
            return new ProviderName(value);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("unknown provider: " + e.getMessage()).failure();
        }
    }
}
