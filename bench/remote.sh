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
. "$ROOT/bench/lib/test-class.sh"
run_test_class backend dev.latchkey.remote.RemoteBenchmark "$@"
