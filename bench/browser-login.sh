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
. "$ROOT/bench/lib/test-class.sh"
run_test_class browser-auth dev.latchkey.browser.chromium.LoginToStoredBenchmark "$@"
