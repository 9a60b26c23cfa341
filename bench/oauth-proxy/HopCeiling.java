import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * How fast any Javalin service that makes a second HTTP hop can be on this machine, beside the
 * proxy: the same load and endpoint as {@link ProxyBenchmark}, at one level of concurrency, against
 * bare Javalin apps that read the form and then answer a fixed body, or forward it over a blocking
 * socket, or through Jetty's client (waiting, or answering from the client's thread). Runs are
 * interleaved round by round, so the ratios of one run compare like with like.
 */
public final class HopCeiling {

    private static final String FORM = "application/x-www-form-urlencoded";
    /** What the proxy sends upstream for the benchmark's exchange, give or take the field order. */
    private static final String UPSTREAM_FORM = "grant_type=authorization_code&code=bench-code"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Foauth%2Fcallback"
            + "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&client_id=bench-id&client_secret=bench-secret";

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        AtomicInteger accepted = new AtomicInteger();
        Javalin endpoint = ProxyBenchmark.startEndpoint(accepted);
        URI token = URI.create("http://127.0.0.1:" + endpoint.port() + "/token");
        HttpClient jetty = new HttpClient();
        jetty.getHttpClientTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        jetty.start();
        byte[] upstreamRequest = LoadGenerator.post(token, UPSTREAM_FORM);
        ThreadLocal<KeepAliveClient> sockets = ThreadLocal.withInitial(() -> connect(token));

        Map<String, URI> targets = new LinkedHashMap<>();
        targets.put("direct to the endpoint", token);
        targets.put("Javalin, fixed answer", app(ctx -> ctx.result(ProxyBenchmark.TOKEN_ANSWER)));
        targets.put("Javalin + blocking socket hop", app(ctx -> ctx.result(sockets.get().call(upstreamRequest))));
        targets.put("Javalin + Jetty client, waiting", app(ctx -> ctx.result(
                jetty.POST(token).body(new StringRequestContent(FORM, UPSTREAM_FORM)).send().getContent())));
        targets.put("Javalin + Jetty client, async", app(ctx -> {
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            jetty.POST(token).body(new StringRequestContent(FORM, UPSTREAM_FORM))
                    .send(new BufferingResponseListener() {
                        @Override
                        public void onComplete(Result result) {
                            if (result.isFailed()) {
                                answer.completeExceptionally(result.getFailure());
                            } else {
                                answer.complete(getContent());
                            }
                        }
                    });
            ctx.future(() -> answer.thenAccept(ctx::result));
        }));
        targets.put("the proxy", URI.create("http://127.0.0.1:"
                + ProxyBenchmark.startProxy(token.toString()).port() + "/oauth/token"));

        LoadGenerator.warmUp(List.copyOf(targets.values()), Math.min(requests, 10_000), accepted);
        Map<String, List<LoadGenerator.Run>> runs = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            List<String> order = new ArrayList<>(targets.keySet());
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            for (String name : order) {
                runs.computeIfAbsent(name, n -> new ArrayList<>())
                        .add(LoadGenerator.run(targets.get(name), clients, requests, accepted));
            }
        }
        System.out.printf("%n%d clients, %d rounds%n%n| path | exchanges/s | × direct | p50 ms | p99 ms | CPU ms/exchange "
                + "| waits/exchange | errors |%n|---|---:|---:|---:|---:|---:|---:|---:|%n", clients, rounds);
        double direct = 0;
        for (var entry : runs.entrySet()) {
            ProxyBenchmark.Result r = ProxyBenchmark.Result.pooled(entry.getKey(), clients, entry.getValue());
            direct = direct == 0 ? r.perSecond() : direct;
            System.out.printf("| %s | %.0f | %.2f× | %.2f | %.2f | %.3f | %.1f | %d |%n", r.target(), r.perSecond(),
                    r.perSecond() / direct, r.p50Ms(), r.p99Ms(), r.cpuMsPerExchange(), r.waitsPerExchange(), r.errors());
        }
        System.exit(0);
    }

    /** A Javalin app on a free port whose token route reads the form, then runs {@code then}. */
    private static URI app(Handler then) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.post("/oauth/token", ctx -> {
                ctx.formParam("code");
                ctx.contentType("application/json");
                then.handle(ctx);
            });
        }).start("127.0.0.1", 0);
        return URI.create("http://127.0.0.1:" + app.port() + "/oauth/token");
    }

    private static KeepAliveClient connect(URI target) {
        try {
            return new KeepAliveClient(target.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
