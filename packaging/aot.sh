#!/usr/bin/env bash
# The app image's ahead-of-time cache (JEP 483/514/515, Java 25): classes loaded and linked, and
# method profiles, from one training start, so every start maps them instead of loading the jars.
# Usage: packaging/aot.sh IMAGE_DIR   (packaging/package.sh calls it; writes IMAGE_DIR/lib/latchkey.aot)
#
# The training start is the app as a user starts it: IMAGE_DIR/bin/latchkey with its window under
# Xvfb, on a data dir of its own that is thrown away, until the Connectors page has loaded in the
# window; then SIGTERM, and the JVM writes the cache as it exits. The cache holds the jars' paths,
# but Java 25 maps it as well when the image has moved (a .deb installed in /opt/latchkey): it
# checks the jars by their names, sizes and times, which dpkg and tar keep.
set -euo pipefail
IMAGE="$(cd "${1:?usage: packaging/aot.sh IMAGE_DIR}" && pwd)"
CACHE="lib/latchkey.aot"
LIMIT=120 # seconds the training start may take to load its page (a loaded CI machine)

die() { echo "packaging/aot.sh: $*" >&2; exit 1; }
step() { echo "packaging/aot.sh: $*" >&2; }

[ -x "$IMAGE/bin/latchkey" ] && [ -x "$IMAGE/runtime/bin/java" ] || die "$IMAGE is not an app image (no bin/latchkey, runtime/bin/java)"
major="$("$IMAGE/runtime/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')"
[ "${major%%.*}" -ge 25 ] 2>/dev/null || die "the image's runtime is Java $major; the AOT cache needs Java 25 or newer"
command -v Xvfb >/dev/null || die "the training start needs Xvfb: apt-get install -y xvfb"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rm -f "$IMAGE/$CACHE"
port=$((20000 + RANDOM % 40000)) # the window's DevTools port, asked when the page has loaded

# True once the window's browser lists the Connectors page (CEF's DevTools answer over plain HTTP;
# it keeps the connection open, so reading ends after 2 s without a line).
page_loaded() {
  local line found=1
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET /json/list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' >&3
  while IFS= read -r -t 2 line <&3; do
    case "$line" in *'Latchkey — Connectors'*) found=0; break ;; esac
  done
  exec 3<&- 3>&-
  return $found
}

# An Xvfb of its own that picks a free display number itself (-displayfd; xvfb-run -a can pick
# the number of another Xvfb starting at the same time).
mkfifo "$work/displayfd"
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3> "$work/displayfd" 2> /dev/null &
xvfb=$!
trap 'kill "$xvfb" 2> /dev/null || true; rm -rf "$work"' EXIT
read -r number < "$work/displayfd"
display=":$number"

step "training start of $IMAGE/bin/latchkey (Java $major) on a throw-away data dir"
HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" \
  LATCHKEY_JAVA_OPTIONS="-XX:AOTCacheOutput=$IMAGE/$CACHE" \
  DISPLAY="$display" "$IMAGE/bin/latchkey" --data-dir "$work/data" --remote-debugging-port "$port" \
  > "$work/out.txt" 2> "$work/err.txt" &
app=$!

loaded=""
for _ in $(seq 1 $((LIMIT * 5))); do
  kill -0 "$app" 2>/dev/null || break
  if page_loaded 2>/dev/null; then
    loaded=1
    break
  fi
  sleep 0.2
done
if [ -z "$loaded" ]; then
  jvm="$(sed -n 's/.*"pid" *: *\([0-9]*\).*/\1/p' "$work/data/instance.json" 2>/dev/null || true)"
  [ -z "$jvm" ] || kill -KILL "$jvm" 2>/dev/null || true
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  die "the training start did not load its page within $LIMIT s; the end of its output:
$(tail -n 20 "$work/out.txt" "$work/err.txt")"
fi
sleep 3 # the catalog painted, the page's first requests answered, the start's background work done
# The JVM (bin/latchkey execs it) names its pid in instance.json: SIGTERM
# it, as a logout does; it writes the cache while it exits.
jvm="$(sed -n 's/.*"pid" *: *\([0-9]*\).*/\1/p' "$work/data/instance.json")"
[ -n "$jvm" ] || die "the training start wrote no pid into $work/data/instance.json"
kill -TERM "$jvm"
wait "$app" 2>/dev/null || true
[ -s "$IMAGE/$CACHE" ] || die "the training start ended without writing $CACHE; the end of its output:
$(tail -n 20 "$work/out.txt" "$work/err.txt")"
step "wrote $CACHE ($(du -m "$IMAGE/$CACHE" | cut -f1) MB)"
