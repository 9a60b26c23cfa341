package dev.latchkey.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.catalog.Catalog;
import dev.latchkey.catalog.InvalidUserConfigException;
import dev.latchkey.gateway.ClientConnector;
import dev.latchkey.gateway.ClientService;
import dev.latchkey.gateway.Gateway;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallRefusedException;
import dev.latchkey.install.InstallService;
import dev.latchkey.launch.LaunchSpecs;
import dev.latchkey.oauth.OAuthRefusedException;
import dev.latchkey.oauth.OAuthService;
import dev.latchkey.remote.RemoteAuthException;
import dev.latchkey.remote.RemoteInstalls;
import dev.latchkey.login.BrowserConnections;
import dev.latchkey.provider.ProviderRegistry;
import dev.latchkey.runtime.McpRuntime;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local HTTP server: the Connectors page and the {@code /api} it calls, and the MCP gateway at
 * {@code /mcp} ({@link McpEndpoint}), on 127.0.0.1 only.
 * Every request passes the {@link LocalAccessGuard}; every error leaves as one {@link ApiError}.
 */
public final class ApiServer implements AutoCloseable {

    /** Largest request body accepted, in bytes; Javalin refuses a larger one when a handler reads it. */
    public static final long MAX_BODY_BYTES = 64 * 1024;

    /** How much of a refused body is still read so the client hears the 413; beyond it the connection is cut. */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * What the routes serve.
     *
     * @param logins browser-login connections, or null when this launch has no login window (browser installs get 501)
     */
    public record Services(Catalog catalog, ProviderRegistry providers, InstallService installs, InstallEvents events,
            ClientService clients, Gateway gateway, OAuthService oauth, LaunchSpecs launchSpecs,
            McpRuntime runtime, ClientConnector connector, BrowserConnections logins, RemoteInstalls remotes) {

        /** Services without remote servers. */
        public Services(Catalog catalog, ProviderRegistry providers, InstallService installs, InstallEvents events,
                ClientService clients, Gateway gateway, OAuthService oauth, LaunchSpecs launchSpecs, McpRuntime runtime,
                ClientConnector connector, BrowserConnections logins) {
            this(catalog, providers, installs, events, clients, gateway, oauth, launchSpecs, runtime, connector, logins, null);
        }

        /** Services without a login window. */
        public Services(Catalog catalog, ProviderRegistry providers, InstallService installs, InstallEvents events,
                ClientService clients, Gateway gateway, OAuthService oauth, LaunchSpecs launchSpecs, McpRuntime runtime,
                ClientConnector connector) {
            this(catalog, providers, installs, events, clients, gateway, oauth, launchSpecs, runtime, connector, null, null);
        }
    }

    private final Javalin app;
    private final EventRoutes eventRoutes;

    private ApiServer(Javalin app, EventRoutes eventRoutes) {
        this.app = app;
        this.eventRoutes = eventRoutes;
    }

    /**
     * Starts the server on {@code 127.0.0.1:port} (0 = any free port); programs call it with
     * {@code secret}, the page with a session from {@code sessions}.
     */
    public static ApiServer start(Services services, ObjectMapper json, String secret, PageSessions sessions, int port) {
        LocalAccessGuard guard = new LocalAccessGuard(secret, sessions);
        EventRoutes eventRoutes = new EventRoutes();
        Javalin app = Javalin.create(config -> configure(config, services, json, guard, sessions, eventRoutes));
        try {
            app.start("127.0.0.1", port);
        } catch (RuntimeException e) {
            eventRoutes.close();
            throw e;
        }
        return new ApiServer(app, eventRoutes);
    }

    private static void configure(JavalinConfig config, Services services, ObjectMapper json, LocalAccessGuard guard,
            PageSessions sessions, EventRoutes eventRoutes) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = MAX_BODY_BYTES;
        config.jsonMapper(new JavalinJackson(json, false));
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/web";
            files.location = Location.CLASSPATH;
        });
        config.routes.before(ctx -> {
            guard.checkHost(ctx);
            securityHeaders(ctx);
        });
        config.routes.before("/api/*", guard::checkApi);
        config.routes.before("/", guard::launchLink);
        config.routes.post("/api/launch-url", ctx -> ctx.json(Map.of("url", sessions.launchUrl(ctx.req().getLocalPort()))));
        CatalogRoutes.register(config.routes, services.catalog(), services.providers());
        SignInLinks signInLinks = new SignInLinks(Clock.systemUTC());
        InstallRoutes.register(config.routes, services.installs(), services.oauth(), signInLinks, services.logins(),
                services.remotes());
        OAuthRoutes.register(config.routes, services.oauth(), signInLinks, services.remotes());
        LaunchRoutes.register(config.routes, services.launchSpecs());
        eventRoutes.register(config.routes, services.events());
        ClientRoutes.register(config.routes, services.clients(), services.connector());
        McpEndpoint.mount(config, services.gateway(), services.clients(), json);
        RuntimeRoutes.register(config.routes, services.runtime(), services.installs(), eventRoutes);
        errors(config);
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    /**
     * Reads and drops what the client is still sending of a refused body (up to
     * {@link #DRAIN_LIMIT}): a server that closes with unread bytes resets the connection, and
     * the client would see the reset instead of the 413.
     */
    private static void discardBody(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] sink = new byte[8192];
            long drained = 0;
            for (int n = in.read(sink); n >= 0 && drained < DRAIN_LIMIT; n = in.read(sink)) {
                drained += n;
            }
        } catch (IOException e) {
            // The client stopped sending; answering is all that is left.
        }
    }

    private static void errors(JavalinConfig config) {
        config.routes.exception(ApiException.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
        config.routes.exception(InvalidUserConfigException.class, (e, ctx) ->
                ctx.status(400).json(new ApiError("invalid_user_config", e.getMessage(), e.field())));
        config.routes.exception(InstallRefusedException.class, (e, ctx) -> refused(ctx, e));
        config.routes.exception(OAuthRefusedException.class, OAuthRoutes::refused);
        config.routes.exception(RemoteAuthException.class, RemoteRoutes::refused);
        config.routes.exception(JacksonException.class, (e, ctx) -> ctx.status(400).json(BadJson.of(e)));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> httpError(ctx, e.getStatus()));
        config.routes.exception(Exception.class, (e, ctx) -> {
            String incident = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("internal error {} on {} {}", incident, ctx.method(), ctx.path(), e);
            ctx.status(500).json(new ApiError("internal_error", "something went wrong inside Latchkey (incident " + incident + "; see its log)"));
        });
    }

    private static void refused(Context ctx, InstallRefusedException e) {
        switch (e.reason()) {
            case UNKNOWN_CATALOG_SERVER -> ctx.status(404).json(new ApiError("unknown_catalog_server", e.getMessage(), "catalogName"));
            case UNSUPPORTED_AUTH -> ctx.status(400).json(new ApiError("unsupported_auth", e.getMessage(), "auth"));
            case NOT_RUNNABLE -> ctx.status(400).json(new ApiError("not_runnable", e.getMessage()));
            case NOT_FOUND -> ctx.status(404).json(new ApiError("not_found", e.getMessage()));
            case NEEDS_SIGN_IN -> ctx.status(409).json(new ApiError("needs_sign_in", e.getMessage()));
            case BUSY -> ctx.status(409).json(new ApiError("busy", e.getMessage()));
        }
    }

    /** Javalin's own refusals (no such route, body too large while reading) in the one error body. */
    private static void httpError(Context ctx, int status) {
        ApiError body = switch (status) {
            case 404 -> new ApiError("not_found", "nothing is at " + ctx.method() + " " + ctx.path());
            case 413 -> {
                discardBody(ctx);
                yield new ApiError("payload_too_large", "the body is larger than the " + MAX_BODY_BYTES + " bytes accepted");
            }
            default -> new ApiError("bad_request", "the request was refused with HTTP " + status);
        };
        ctx.status(status).json(body);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        eventRoutes.close();
        app.stop();
    }
}
