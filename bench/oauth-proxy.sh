#!/usr/bin/env bash
# Builds the OAuth proxy and runs its benchmark: code exchanges through the proxy vs. straight to a
# fast local token endpoint at 1, 16 and 64 concurrent clients, all on 127.0.0.1.
# Usage: bench/oauth-proxy.sh [requests-per-run] [rounds]
#   requests-per-run: default 20000; 1 client runs a quarter of that
#   rounds: default 3; each level alternates direct and proxy runs this often and pools them
# Set JFR=1 to record a flight recording to bench/oauth-proxy/target/bench.jfr.
# Set CEILING=1 to run bench/oauth-proxy/HopCeiling.java instead: the proxy beside bare Javalin apps
# that make the same second hop in other ways, at one level (args: requests rounds clients).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/oauth-proxy/target
mkdir -p "$out"
mvn -q -pl oauth-proxy -am package -DskipTests
mvn -q -pl oauth-proxy dependency:build-classpath -Dmdep.outputFile="$PWD/$out/classpath.txt" -Dmdep.includeScope=runtime
cp="oauth-proxy/target/classes:$(cat "$out/classpath.txt")"
javac -d "$out/classes" -cp "$cp" bench/oauth-proxy/ProxyBenchmark.java bench/oauth-proxy/HopCeiling.java
jfr=()
if [[ "${JFR:-0}" == 1 ]]; then
  jfr=("-XX:StartFlightRecording=filename=$out/bench.jfr,settings=profile")
fi
program=ProxyBenchmark
if [[ "${CEILING:-0}" == 1 ]]; then
  program=HopCeiling
fi
exec java "${jfr[@]}" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.dev.latchkey.proxy=info \
  -cp "$out/classes:$cp" "$program" "$@"
