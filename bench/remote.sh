#!/usr/bin/env bash
# Remote MCP servers: (1) URL entered → tools listed through the whole app (probe, discovery,
# registration, sign-in with an auto-approving local authorization server, token, initialize,
# tools/list), median of RUNS; (2) the added p50 of a gateway call to a remote server over the
# direct call (docs/benchmarks.md, "Remote servers").
# Usage: bench/remote.sh [RUNS (10)] [CALLS (2000)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v npm >/dev/null || { echo "remote.sh: needs Node.js and npm: apt-get install -y nodejs npm" >&2; exit 1; }
(cd npm-tools && npm install --no-audit --no-fund --loglevel=error >&2)
CP_FILE="$ROOT/backend/target/remote-bench.classpath"
mvn -q -B -pl backend -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$ROOT/backend/target/test-classes:$ROOT/backend/target/classes:$(cat "$CP_FILE")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.latchkey.remote.RemoteBenchmark "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
