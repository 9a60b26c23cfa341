#!/usr/bin/env bash
# The MCP gateway's overhead: server-everything's echo through /mcp against the same call made
# directly over stdio; added p50/p99 and calls/s at 1 and 16 callers (docs/benchmarks.md).
# Usage: bench/gateway.sh [CALLS (5000)] [SECONDS per throughput run (10)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v npm >/dev/null || { echo "gateway.sh: needs Node.js and npm: apt-get install -y nodejs npm" >&2; exit 1; }
(cd npm-tools && npm install --no-audit --no-fund --loglevel=error >&2)
CP_FILE="$ROOT/backend/target/gateway-bench.classpath"
mvn -q -B -pl backend -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$ROOT/backend/target/test-classes:$ROOT/backend/target/classes:$(cat "$CP_FILE")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.latchkey.bench.GatewayBenchmark "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
