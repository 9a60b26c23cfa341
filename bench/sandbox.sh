#!/usr/bin/env bash
# The sandbox's cost: install -> tools listed of server-everything (npx, warm npm cache), bare and in
# its bubblewrap sandbox in the same run, in turn; medians, ratio, PSS added per server (docs/benchmarks.md).
# Usage: bench/sandbox.sh [RUNS (10)]   (needs node/npx, bubblewrap, and the npm registry for the first fetch)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v bwrap >/dev/null || { echo "sandbox.sh: needs bubblewrap: apt-get install -y bubblewrap" >&2; exit 1; }
CP_FILE="$ROOT/backend/target/sandbox-bench.classpath"
mvn -q -B -pl backend -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$ROOT/backend/target/test-classes:$ROOT/backend/target/classes:$(cat "$CP_FILE")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.latchkey.bench.SandboxBenchmark "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
