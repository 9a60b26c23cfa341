#!/usr/bin/env bash
# Remote servers' sessions and streams through the gateway (SessionBenchmark): the p50 of a call, of
# a call right after the server forgot the session, and the time a call whose answer stream ended
# empty takes to fail (docs/benchmarks.md, "Remote servers: sessions and streams").
# Usage: bench/remote-sessions.sh [CALLS (500)] [RENEWALS (50)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CP_FILE="$ROOT/backend/target/remote-bench.classpath"
mvn -q -B -pl backend -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$ROOT/backend/target/test-classes:$ROOT/backend/target/classes:$(cat "$CP_FILE")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.latchkey.remote.SessionBenchmark "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
