#!/usr/bin/env bash
# Builds backend and OAuth proxy and runs the OAuth benchmark: callback → connected for N installs
# (minus the proxy and provider time), then the N connections refreshed at once through the real
# proxy against a local token endpoint. Usage: bench/oauth.sh [N=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/oauth/target
mkdir -p "$out"
mvn -q -B -pl backend,oauth-proxy -am package -DskipTests
for module in backend oauth-proxy; do
  mvn -q -B -pl "$module" dependency:build-classpath -Dmdep.outputFile="$PWD/$out/$module.classpath" -Dmdep.includeScope=runtime
done
cp="backend/target/classes:oauth-proxy/target/classes:$(cat "$out/backend.classpath"):$(cat "$out/oauth-proxy.classpath")"
javac -d "$out/classes" -cp "$cp" bench/oauth/OAuthBenchmark.java
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$out/classes:$cp" OAuthBenchmark "$@"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
