package dev.latchkey.remote;

import dev.latchkey.install.InstallRefusedException;
import java.net.URI;
import java.net.URISyntaxException;

/** A remote server's URL as a user or a manifest gives it: absolute, https (or http on loopback only), no fragment, no user info. */
final class RemoteUrl {

    private RemoteUrl() {
    }

    static URI parse(String text) {
        URI uri;
        try {
            uri = text == null ? null : new URI(text.strip());
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !Origins.allowed(uri) || uri.getRawFragment() != null || uri.getRawUserInfo() != null
                || text.length() > 2000) {
            throw new InstallRefusedException(InstallRefusedException.Reason.NOT_RUNNABLE, "remoteUrl: expected an https URL"
                    + " (or http on 127.0.0.1 or localhost), without user name or #fragment, got "
                    + (text == null ? "nothing" : "\"" + (text.length() > 100 ? text.substring(0, 100) + "…" : text) + "\""));
        }
        return uri;
    }
}
