#!/usr/bin/env bash
# The sandbox's cost: install -> tools listed of server-everything (npx, warm npm cache), bare and in
# its bubblewrap sandbox in the same run, in turn; medians, ratio, PSS added per server (docs/benchmarks.md).
# Usage: bench/sandbox.sh [RUNS (10)]   (needs node/npx, bubblewrap, and the npm registry for the first fetch)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v bwrap >/dev/null || { echo "sandbox.sh: needs bubblewrap: apt-get install -y bubblewrap" >&2; exit 1; }
. "$ROOT/bench/lib/test-class.sh"
run_test_class backend dev.latchkey.bench.SandboxBenchmark "$@"
