#!/usr/bin/env bash
# Remote servers' sessions and streams through the gateway (SessionBenchmark): the p50 of a call, of
# a call right after the server forgot the session, and the time a call whose answer stream ended
# empty takes to fail (docs/benchmarks.md, "Remote servers: sessions and streams").
# Usage: bench/remote-sessions.sh [CALLS (500)] [RENEWALS (50)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. "$ROOT/bench/lib/test-class.sh"
run_test_class backend dev.latchkey.remote.SessionBenchmark "$@"
