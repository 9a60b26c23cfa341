#!/usr/bin/env bash
# The JCEF window: spawn -> Connectors page painted (natives already extracted), and the idle PSS
# of the whole process tree. Usage: bench/jcef-window.sh [RUNS] [IDLE_SECONDS]
# Without a DISPLAY it runs under xvfb-run. The natives are extracted once into
# LATCHKEY_JCEF_DIR (default ~/.cache/latchkey-bench/jcef) by the unmeasured warm-up start.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
IDLE="${2:-10}"
cd "$ROOT"
mvn -q -B -DskipTests -pl desktop -am package
export LATCHKEY_JCEF_DIR="${LATCHKEY_JCEF_DIR:-$HOME/.cache/latchkey-bench/jcef}"
CP="$ROOT/desktop/target/latchkey-desktop.jar:$ROOT/desktop/target/lib/*"
display() {
  if [ -n "${DISPLAY:-}" ]; then "$@"; else xvfb-run -a -s "-screen 0 1280x900x24" "$@"; fi
}
echo "== ./latchkey (script: C1 only, serial GC, -Xms16m, class-data-sharing archive)"
display java bench/JcefWindow.java "$RUNS" "$IDLE" -- "$ROOT/latchkey"
echo "== java with default JVM flags"
export FC_FONTATIONS="${FC_FONTATIONS:-1}" DBUS_SESSION_BUS_ADDRESS="${DBUS_SESSION_BUS_ADDRESS:-disabled:}" # as ./latchkey does
display java bench/JcefWindow.java "$RUNS" "$IDLE" -- java -cp "$CP" dev.latchkey.desktop.Main
