#!/usr/bin/env bash
# The app's start against the bare JCEF floor, measured in the same run (bench/PackageBench.java):
# RUNS rounds of one floor start, one app start on a fresh data dir and one on a used one, then
#   window first paint=MS floor=MS ratio=R pss=MB
#   window later paint=MS floor=MS ratio=R pss=MB
# Usage: bench/package.sh LAUNCHER [RUNS=5] [IDLE=10], LAUNCHER being ./latchkey (the checkout) or an
# installed one (/usr/bin/latchkey, an app image's bin/latchkey). The floor runs on the launcher's
# own Java and jars (an app image's runtime/ and lib/, else `java` and the checkout's build), with a
# cache of its own of the same kind the app has: an AOT cache on Java 25, else a CDS archive.
# Without a DISPLAY it runs on an Xvfb of its own.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAUNCHER="${1:?usage: bench/package.sh LAUNCHER [RUNS] [IDLE]}"
RUNS="${2:-5}"
IDLE="${3:-10}"
BENCH_JAVA="${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}" # Java 22+: multi-file source launcher
LAUNCHER="$(readlink -f "$(command -v "$LAUNCHER")")"
IMAGE="$(cd "$(dirname "$LAUNCHER")/.." && pwd)"
if [ -x "$IMAGE/runtime/bin/java" ]; then
  FLOOR_JAVA="${FLOOR_JAVA:-$IMAGE/runtime/bin/java}"
  FLOOR_CP="${FLOOR_CP:-$IMAGE/lib/*}"
  export LATCHKEY_JCEF_DIR="${LATCHKEY_JCEF_DIR:-$(ls -d "$IMAGE"/jcef* "$IMAGE"/lib/jcef* 2>/dev/null | head -1)}"
else
  (cd "$ROOT" && mvn -q -B -DskipTests -pl desktop -am package)
  FLOOR_JAVA="${FLOOR_JAVA:-java}"
  FLOOR_CP="${FLOOR_CP:-$ROOT/desktop/target/latchkey-desktop.jar:$ROOT/desktop/target/lib/*}"
  export LATCHKEY_JCEF_DIR="${LATCHKEY_JCEF_DIR:-$HOME/.cache/latchkey-bench/jcef}"
fi
[ -n "$LATCHKEY_JCEF_DIR" ] || { echo "bench/package.sh: no CEF natives dir found in $IMAGE; set LATCHKEY_JCEF_DIR" >&2; exit 1; }
export FC_FONTATIONS="${FC_FONTATIONS:-1}" DBUS_SESSION_BUS_ADDRESS="${DBUS_SESSION_BUS_ADDRESS:-disabled:}" # as the launchers do
out="$ROOT/bench/target/package"
rm -rf "$out" && mkdir -p "$out"
"$(dirname "$BENCH_JAVA")/javac" --release 17 -d "$out/classes" -cp "$FLOOR_CP" "$ROOT/bench/JcefFloor.java"
"$(dirname "$BENCH_JAVA")/jar" cf "$out/floor.jar" -C "$out/classes" . # archives take jars, not directories
major="$("$FLOOR_JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')"
flags=(-Xlog:disable -Xlog:all=warning,cds*=off,aot*=off:stderr -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m -cp "$out/floor.jar:$FLOOR_CP")
if [ "${major%%.*}" -ge 25 ]; then
  flags+=(--enable-native-access=ALL-UNNAMED) # as the image's bin/latchkey
else
  flags[1]="-Xlog:all=warning,cds*=off:stderr"
fi
# Without a DISPLAY, an Xvfb of its own that picks a free display number itself (-displayfd):
# xvfb-run -a can pick the number of another Xvfb starting at the same time, and the run then
# loses its display when that one ends.
if [ -z "${DISPLAY:-}" ]; then
  fifo="$out/displayfd"
  mkfifo "$fifo"
  Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3> "$fifo" 2> /dev/null &
  xvfb=$!
  trap 'kill "$xvfb" 2> /dev/null || true' EXIT
  read -r number < "$fifo"
  export DISPLAY=":$number"
fi
display() { "$@"; }
# The floor's training start (natives extracted if needed, its cache recorded); not counted.
if [ "${major%%.*}" -ge 25 ]; then
  display "$FLOOR_JAVA" -XX:AOTCacheOutput="$out/floor.aot" "${flags[@]}" JcefFloor > /dev/null
  cache=(-XX:AOTCache="$out/floor.aot")
else
  display "$FLOOR_JAVA" -XX:ArchiveClassesAtExit="$out/floor.jsa" "${flags[@]}" JcefFloor > /dev/null
  cache=(-XX:SharedArchiveFile="$out/floor.jsa")
fi
echo "== $LAUNCHER against the floor on $FLOOR_JAVA (Java $major), $RUNS rounds, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
display "$BENCH_JAVA" "$ROOT/bench/PackageBench.java" "$RUNS" "$IDLE" \
  "$FLOOR_JAVA" "${cache[@]}" "${flags[@]}" JcefFloor -- "$LAUNCHER"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
