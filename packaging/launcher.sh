#!/usr/bin/env bash
# Latchkey, as installed (the app image's bin/latchkey; /usr/bin/latchkey points here).
#   latchkey [--headless | --browser system] [--port N] [--data-dir DIR] [--proxy-url URL]   start the app
#   latchkey doctor | url | mcp | connect CLIENT [--undo] [--yes]                            as ./latchkey does
# It runs the image's own Java runtime, jars and CEF natives: no JDK, Maven or network, and it
# never writes into the image (the data, the browser's caches included, live in the user's data dir).
# packaging/package.sh writes the classpath below (@IMAGE@ stands for the image folder) when it builds the image.
set -euo pipefail

SELF="$(readlink -f "${BASH_SOURCE[0]}")"
IMAGE="$(cd "$(dirname "$SELF")/.." && pwd)"
CLASSPATH_JARS="@CLASSPATH@"

die() { echo "latchkey: $*" >&2; exit 1; }

# How to get an intact copy back: the Debian package when dpkg installed this image, else the image.
reinstall_hint() {
  if [ "$IMAGE" = /opt/latchkey ] && dpkg-query -W -f='${Status}' latchkey 2>/dev/null | grep -q installed; then
    echo "sudo apt-get install --reinstall latchkey"
  else
    echo "unpack latchkey-@VERSION@-linux-x64.tar.gz again"
  fi
}

# The image against the list made when it was packaged: every file's size and modification time
# (lib/image.files) and the checksums of the files jcefmaven reads to decide whether the natives
# are installed (lib/image.sha256). A missing or changed file stops here, before the JVM starts:
# jcefmaven would otherwise try to extract the natives again into the image, or CEF hang on them.
check_image() {
  local list="$IMAGE/lib/image.files" actual first
  [ -f "$list" ] && [ -f "$IMAGE/lib/image.sha256" ] \
    || die "this Latchkey installation is damaged (its file list lib/image.files is missing); reinstall it: $(reinstall_hint)"
  actual="$(cd "$IMAGE" && find . -type f ! -path ./lib/image.files -printf '%s %Ts %P\n' | LC_ALL=C sort -k3)"
  if [ "$actual" != "$(cat "$list")" ]; then
    first="$(diff <(echo "$actual") "$list" | sed -n 's/^[<>] [0-9]* [0-9]* //p' | head -1)" || true
    die "this Latchkey installation is damaged ($IMAGE/$first is missing, changed or unexpected); reinstall it: $(reinstall_hint)"
  fi
  (cd "$IMAGE" && sha256sum --quiet --status -c lib/image.sha256) \
    || die "this Latchkey installation is damaged (a file in $IMAGE/jcef does not match its checksum); reinstall it: $(reinstall_hint)"
}

case "${1:-}" in
  test|proxy|dev|package) die "\"latchkey $1\" is a command of the source checkout (./latchkey $1), not of the installed app" ;;
esac

check_image

# The natives, extracted and checked at package time, run from the read-only image.
export LATCHKEY_JCEF_DIR="$IMAGE/jcef"
# "Connect a client" writes entries that run this launcher: by its name on PATH when that is this one.
if [ "$(readlink -f /usr/bin/latchkey 2>/dev/null)" = "$SELF" ]; then
  export LATCHKEY_LAUNCHER=/usr/bin/latchkey
else
  export LATCHKEY_LAUNCHER="$SELF"
fi
# The installed app runs catalog servers only inside the sandbox (bubblewrap is a dependency of the package).
export LATCHKEY_REQUIRE_SANDBOX=1
# Set before the JVM starts, as CEF would set them while its threads run (docs/decisions.md, 26).
export FC_FONTATIONS="${FC_FONTATIONS:-1}" DBUS_SESSION_BUS_ADDRESS="${DBUS_SESSION_BUS_ADDRESS:-disabled:}"

java_options=(-Xlog:disable -Xlog:all=warning,cds*=off,aot*=off:stderr -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m
  --enable-native-access=ALL-UNNAMED)
# The ahead-of-time cache made at package time (packaging/aot.sh), read only.
[ -f "$IMAGE/lib/latchkey.aot" ] && java_options+=("-XX:AOTCache=$IMAGE/lib/latchkey.aot")
# Extra JVM flags, for packaging/aot.sh's training run and for diagnosing.
if [ -n "${LATCHKEY_JAVA_OPTIONS:-}" ]; then
  read -r -a extra <<< "$LATCHKEY_JAVA_OPTIONS"
  java_options+=("${extra[@]}")
fi

exec "$IMAGE/runtime/bin/java" "${java_options[@]}" -cp "${CLASSPATH_JARS//@IMAGE@/$IMAGE}" dev.latchkey.desktop.Main "$@"
