#!/usr/bin/env bash
# The MCP gateway's overhead: server-everything's echo through /mcp against the same call made
# directly over stdio; added p50/p99 and calls/s at 1 and 16 callers (docs/benchmarks.md).
# Usage: bench/gateway.sh [CALLS (5000)] [SECONDS per throughput run (10)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v npm >/dev/null || { echo "gateway.sh: needs Node.js and npm: apt-get install -y nodejs npm" >&2; exit 1; }
(cd npm-tools && npm install --no-audit --no-fund --loglevel=error >&2)
. "$ROOT/bench/lib/test-class.sh"
run_test_class backend dev.latchkey.bench.GatewayBenchmark "$@"
