#!/usr/bin/env bash
# The floor under the JCEF window's start (bench/JcefFloor.java): process start -> CEF up -> a
# one-heading page painted in a JCEF window, with the app's CEF settings and ./latchkey's JVM flags
# and a class-data-sharing archive of its own, but no backend and no page of the app.
# Usage: bench/jcef-floor.sh [RUNS]. Without a DISPLAY it runs under xvfb-run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
cd "$ROOT"
mvn -q -B -DskipTests -pl desktop -am package
export LATCHKEY_JCEF_DIR="${LATCHKEY_JCEF_DIR:-$HOME/.cache/latchkey-bench/jcef}"
export FC_FONTATIONS="${FC_FONTATIONS:-1}" DBUS_SESSION_BUS_ADDRESS="${DBUS_SESSION_BUS_ADDRESS:-disabled:}" # as ./latchkey does
out=bench/target/jcef-floor
rm -rf "$out" && mkdir -p "$out"
CP="$ROOT/desktop/target/latchkey-desktop.jar:$ROOT/desktop/target/lib/*"
javac -d "$out/classes" -cp "$CP" bench/JcefFloor.java
jar cf "$out/floor.jar" -C "$out/classes" . # a class-data-sharing archive takes jars, not directories
display() {
  if [ -n "${DISPLAY:-}" ]; then "$@"; else xvfb-run -a -s "-screen 0 1280x900x24" "$@"; fi
}
flags=(-Xlog:disable -Xlog:all=warning,cds*=off:stderr -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m -cp "$out/floor.jar:$CP")
# The first start extracts the natives if needed and records the archive; it is not counted.
display java -XX:ArchiveClassesAtExit="$out/floor.jsa" "${flags[@]}" JcefFloor > /dev/null
for _ in $(seq 1 "$RUNS"); do
  display java -XX:SharedArchiveFile="$out/floor.jsa" "${flags[@]}" JcefFloor
done
