#!/usr/bin/env bash
# Builds the OAuth proxy and runs its benchmark. The proxy runs in its own process, started as
# `./latchkey proxy` starts it (same JVM settings); PROXY_COMMAND='java -jar some.jar' measures
# another build instead. Everything runs on 127.0.0.1.
#
# Fast provider (default): code exchanges through the proxy vs. straight to a fast local token
# endpoint at 1, 16 and 64 concurrent clients, then the proxy's PSS and threads.
#   bench/oauth-proxy.sh [requests-per-run] [rounds]
#     requests-per-run: default 20000; 1 client runs a quarter of that
#     rounds: default 3; each level alternates direct and proxy runs this often and pools them
#
# Slow provider: SLOW_MS=100 bench/oauth-proxy.sh [seconds-per-level] [levels]
#   a token endpoint that answers after SLOW_MS ms; levels (default 64,256,1000 clients) run for
#   seconds-per-level (default 20) each, back to back, abandoning what is under way at each level's end.
#   SLOW_DIRECT=1 then runs the same levels straight to the endpoint: the load generator's own ceiling.
#
# Set JFR=1 to record a flight recording of the benchmark's own JVM to bench/oauth-proxy/target/bench.jfr.
# Set CEILING=1 to run bench/oauth-proxy/HopCeiling.java instead: the proxy (in the benchmark's JVM)
# beside bare Javalin apps that make the same second hop in other ways (args: requests rounds clients).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/oauth-proxy/target
mkdir -p "$out"
mvn -q -B -pl oauth-proxy -am package -DskipTests
mvn -q -B -pl oauth-proxy dependency:build-classpath -Dmdep.outputFile="$PWD/$out/classpath.txt" -Dmdep.includeScope=runtime
cp="oauth-proxy/target/classes:$(cat "$out/classpath.txt")"
javac -d "$out/classes" -cp "$cp" bench/oauth-proxy/*.java
jfr=()
if [[ "${JFR:-0}" == 1 ]]; then
  jfr=("-XX:StartFlightRecording=filename=$out/bench.jfr,settings=profile")
fi
program=ProxyBenchmark
if [[ -n "${SLOW_MS:-}" ]]; then
  program=SlowProviderBenchmark
fi
if [[ "${CEILING:-0}" == 1 ]]; then
  program=HopCeiling
fi
# 1,000 blocking client threads need small stacks more than big ones.
exec java "${jfr[@]}" -Xmx1g -Xss256k -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.dev.latchkey.proxy=info \
  -cp "$out/classes:$cp" "$program" "$@"
