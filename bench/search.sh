#!/usr/bin/env bash
# Connectors page search: keystroke -> cards rendered, with SERVERS catalog servers, in headless
# Chromium. Usage: bench/search.sh [SERVERS (1000)] [KEYSTROKES (400)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
  || { echo "search.sh: needs Chromium and ChromeDriver; install them: apt-get install -y chromium chromium-driver" >&2; exit 1; }
. "$ROOT/bench/lib/test-class.sh"
run_test_class backend dev.latchkey.bench.SearchBenchmark "$@"
