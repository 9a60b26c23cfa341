#!/usr/bin/env bash
# The MCP runtime: install -> tools listed (server-everything via npx, npm cache empty, then warm),
# and SERVERS installs at once (time until all running, PSS of app and servers).
# Usage: bench/runtime.sh [RUNS] [SERVERS]   (defaults 10 and 20; needs node/npx and the npm registry)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-10}"
SERVERS="${2:-20}"
cd "$ROOT"
mvn -q -B -DskipTests -pl desktop -am package
CP="$ROOT/desktop/target/latchkey-desktop.jar:$ROOT/desktop/target/lib/*"
java bench/RuntimeBench.java "$RUNS" "$SERVERS" -- java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$CP" dev.latchkey.desktop.Main
