#!/usr/bin/env bash
# Connectors page search: keystroke -> cards rendered, with SERVERS catalog servers, in headless
# Chromium. Usage: bench/search.sh [SERVERS (1000)] [KEYSTROKES (400)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
  || { echo "search.sh: needs Chromium and ChromeDriver; install them: apt-get install -y chromium chromium-driver" >&2; exit 1; }
CP_FILE="$ROOT/backend/target/search-bench.classpath"
mvn -q -B -pl backend -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
exec java -cp "$ROOT/backend/target/test-classes:$ROOT/backend/target/classes:$(cat "$CP_FILE")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.latchkey.bench.SearchBenchmark "$@"
