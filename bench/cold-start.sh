#!/usr/bin/env bash
# Backend cold start: process start -> first 200 from /api/catalog. Usage: bench/cold-start.sh [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-10}"
cd "$ROOT"
mvn -q -B -DskipTests -pl desktop -am package
CP="$ROOT/desktop/target/latchkey-desktop.jar:$ROOT/desktop/target/lib/*"
echo "== java, as ./latchkey runs it (C1 only, serial GC)"
java bench/ColdStart.java "$RUNS" -- java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$CP" dev.latchkey.desktop.Main
echo "== java with default JVM flags"
java bench/ColdStart.java "$RUNS" -- java -cp "$CP" dev.latchkey.desktop.Main
echo "== ./latchkey (script overhead included)"
java bench/ColdStart.java "$RUNS" -- "$ROOT/latchkey"
