#!/usr/bin/env bash
# Browser login: Slack dashboard reached -> values stored (status connected), through the real API,
# the Chromium login window, Slack's session check and the local Slack stand-in, split into the
# window's part, the check's and the store's. One backend for all runs (its start is not timed).
# Run it with nothing else running. Usage: bench/browser-login.sh [RUNS (10)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
  || { echo "browser-login.sh: needs Chromium and ChromeDriver; install them: apt-get install -y chromium chromium-driver" >&2; exit 1; }
CP_FILE="$ROOT/browser-auth/target/login-bench.classpath"
mvn -q -B -pl browser-auth -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
exec java -cp "$ROOT/browser-auth/target/test-classes:$ROOT/browser-auth/target/classes:$(cat "$CP_FILE")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.latchkey.browser.chromium.LoginToStoredBenchmark "$@"
