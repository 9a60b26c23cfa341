#!/usr/bin/env bash
# Builds backend and OAuth proxy and runs the OAuth benchmark: callback → connected for N installs
# (minus the proxy and provider time), then the N connections refreshed at once through the real
# proxy against a local token endpoint. Usage: bench/oauth.sh [N=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/oauth/target
mkdir -p "$out"
# One reactor run per module, so the sibling modules resolve to the jars it just built.
mvn -q -B -pl backend -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$out/backend.classpath" -Dmdep.includeScope=runtime
mvn -q -B -pl oauth-proxy package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$out/oauth-proxy.classpath" -Dmdep.includeScope=runtime
cp="backend/target/classes:oauth-proxy/target/classes:$(cat "$out/backend.classpath"):$(cat "$out/oauth-proxy.classpath")"
javac -d "$out/classes" -cp "$cp" bench/oauth/OAuthBenchmark.java
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# The stand-in token endpoint is the JDK's HttpServer, which leaves Nagle's algorithm on unless told:
# its answer then waits for a delayed ACK, ~40 ms per token request that no real provider adds.
java -Xmx1g -Dsun.net.httpserver.nodelay=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$out/classes:$cp" OAuthBenchmark "$@"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
