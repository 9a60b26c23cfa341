#!/usr/bin/env bash
# The install test (CI, as root, after ./latchkey package): installs dist/latchkey_*_amd64.deb with
# apt-get, then, as a normal user made for the test, on its own Xvfb:
#   1. the installed app starts from /usr/bin/latchkey on the image's own runtime, its window
#      paints the Connectors page (a screenshot holding the page's accent colour) and its API answers;
#   2. a no-sign-in install (the catalog's "everything" server, fetched by npx into a cold cache)
#      reaches running, waited for on the install's own status;
#   3. a second `latchkey` hands over to the first;
#   4. url, connect (the entry names /usr/bin/latchkey), doctor, --headless and the app image
#      from the tarball work; the user's data dir is under 50 MB after the first start;
#   5. a damaged install (a natives file missing, one changed) stops with one sentence saying to
#      reinstall, at once and without writing into /opt, for the user and for root;
#   6. apt-get remove takes /opt/latchkey and /usr/bin/latchkey away and leaves the user's data.
# Screenshots and logs go to target/install-test/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/target/install-test"
TEST_USER=latchkey-install-test
# The page's accent colour (web-ui app.css --accent): buttons, the logo. A blank window, an error
# page or a page without its stylesheet has next to none of it.
ACCENT='#3056d3'
INSTALL_WAIT_SECONDS=900

die() { echo "install test: FAILED: $*" >&2; exit 1; }
say() { echo "install test: $*" >&2; }

[ "$(id -u)" -eq 0 ] || die "run it as root (it installs the package and creates a user)"
DEB="$(ls "$ROOT"/dist/latchkey_*_amd64.deb 2>/dev/null | head -1)"
TARBALL="$(ls "$ROOT"/dist/latchkey-*-linux-x64.tar.gz 2>/dev/null | head -1)"
[ -n "$DEB" ] && [ -n "$TARBALL" ] || die "no package in $ROOT/dist; build it with ./latchkey package"

install_prerequisites() {
  local missing=()
  command -v Xvfb >/dev/null || missing+=(xvfb)
  command -v openbox >/dev/null || missing+=(openbox)
  command -v wmctrl >/dev/null || missing+=(wmctrl)
  command -v import >/dev/null || missing+=(imagemagick)
  command -v curl >/dev/null || missing+=(curl)
  command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
  command -v npx >/dev/null || missing+=(nodejs npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}"
}

PIDS=()
CREATED_USER=""
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  if dpkg-query -W -f='${Status}' latchkey 2>/dev/null | grep -q 'ok installed'; then
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq latchkey >/dev/null 2>&1 || true
  fi
  [ -z "$CREATED_USER" ] || userdel -r "$CREATED_USER" 2>/dev/null || true
}
trap cleanup EXIT

# Runs a command as the test user with a clean environment, as a desktop session would give it
# (setpriv execs, so $! is the command's own pid).
as_user() {
  setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups \
    env -i HOME="$HOME_DIR" USER="$TEST_USER" LOGNAME="$TEST_USER" PATH=/usr/local/bin:/usr/bin:/bin \
    LANG=C.UTF-8 DISPLAY=":$DISPLAY_NUMBER" "$@"
}
# The same in the background: `spawn CMD…` runs it as the user and sets SPAWNED to its pid (the
# subshell execs into it, so the pid is the command's own and killing it stops the command).
spawn() {
  local log="$1"; shift
  ( exec setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups \
    env -i HOME="$HOME_DIR" USER="$TEST_USER" LOGNAME="$TEST_USER" PATH=/usr/local/bin:/usr/bin:/bin \
    LANG=C.UTF-8 DISPLAY=":$DISPLAY_NUMBER" "$@" ) >"$log" 2>&1 &
  SPAWNED=$!
  PIDS+=("$SPAWNED")
}

on_display() { DISPLAY=":$DISPLAY_NUMBER" "$@"; } # root's screenshots of the user's display

api() { # METHOD PATH [BODY]: the running app's API with its secret from instance.json
  local port token
  port="$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$DATA_DIR/instance.json")"
  token="$(sed -n 's/.*"apiToken":"\([^"]*\)".*/\1/p' "$DATA_DIR/instance.json")"
  curl -sS --max-time 30 -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "http://127.0.0.1:$port$2"
}

json_field() { sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" | head -1; }

# A listing of /opt/latchkey that changes when anything in it is written, added or removed.
opt_state() { find /opt/latchkey -printf '%M %s %T@ %C@ %p\n' | LC_ALL=C sort | sha256sum | cut -d' ' -f1; }

accent_share() { # the share of a screenshot's pixels in the page's accent colour
  convert "$1" -fuzz 8% -fill '#ff00ff' -opaque "$ACCENT" -fuzz 0 -fill black +opaque '#ff00ff' \
    -fill white -opaque '#ff00ff' -colorspace gray -format '%[fx:mean]' info:
}

# --- install --------------------------------------------------------------------------------------
install_prerequisites
rm -rf "$OUT" && mkdir -p "$OUT"
say "apt-get install $DEB"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$DEB" >"$OUT/apt-install.log" 2>&1 \
  || { cat "$OUT/apt-install.log" >&2; die "apt-get install of the package failed"; }
[ "$(readlink -f /usr/bin/latchkey)" = /opt/latchkey/bin/latchkey ] || die "/usr/bin/latchkey does not point at /opt/latchkey/bin/latchkey"
desktop-file-validate /usr/share/applications/latchkey.desktop || die "the installed desktop entry does not validate"
[ -f /usr/share/icons/hicolor/256x256/apps/latchkey.png ] && [ -f /usr/share/icons/hicolor/scalable/apps/latchkey.svg ] \
  || die "the icon is not in the hicolor theme"
dpkg-query -W -f='${Depends}' latchkey | grep -q bubblewrap || die "the package does not depend on bubblewrap"
[ -z "$(find /opt/latchkey -perm -o+w ! -type l)" ] || die "files in /opt/latchkey are writable by others"
OPT_BEFORE="$(opt_state)"

if ! id "$TEST_USER" >/dev/null 2>&1; then
  useradd -m -s /bin/bash "$TEST_USER"
  CREATED_USER="$TEST_USER"
fi
HOME_DIR="$(getent passwd "$TEST_USER" | cut -d: -f6)"
DATA_DIR="$HOME_DIR/.local/share/latchkey"
rm -rf "$DATA_DIR"

# --- 1. the window paints, as the user -------------------------------------------------------------
# An Xvfb of the user's that picks a free display number itself and writes it once it accepts
# connections (-displayfd): its socket file appears earlier, and on a loaded machine openbox started
# on the socket alone could not open the display, so no window was ever managed.
mkfifo "$OUT/displayfd"
( exec 3>"$OUT/displayfd"; exec setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups \
  Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp ) >"$OUT/xvfb.log" 2>&1 &
XVFB=$!
PIDS+=("$XVFB")
DISPLAY_NUMBER=""
read -r -t 60 DISPLAY_NUMBER <"$OUT/displayfd" || true
[ -n "$DISPLAY_NUMBER" ] && kill -0 "$XVFB" 2>/dev/null || die "Xvfb did not start: $(cat "$OUT/xvfb.log")"
spawn "$OUT/openbox.log" openbox --sm-disable
OPENBOX=$SPAWNED
for _ in $(seq 1 60); do on_display wmctrl -m >/dev/null 2>&1 && break; sleep 0.5; done
on_display wmctrl -m >/dev/null 2>&1 || die "openbox did not come up on :$DISPLAY_NUMBER$(kill -0 "$OPENBOX" 2>/dev/null || echo ' (it exited)'): $(cat "$OUT/openbox.log")"
START_NANOS="$(date +%s%N)"
spawn "$OUT/app.log" latchkey
APP=$SPAWNED
painted=""
for _ in $(seq 1 90); do
  kill -0 "$APP" 2>/dev/null || { cat "$OUT/app.log" >&2; die "the installed app exited while starting (log above)"; }
  if on_display wmctrl -l 2>/dev/null | grep -q ' Latchkey$'; then
    on_display import -window root "$OUT/connectors.png" 2>/dev/null || true
    share="$(accent_share "$OUT/connectors.png" 2>/dev/null || echo 0)"
    if awk -v s="$share" 'BEGIN { exit !(s > 0.003) }'; then painted="$share"; break; fi
  fi
  sleep 1
done
[ -n "$painted" ] || { cat "$OUT/app.log" >&2; die "the window did not paint the Connectors page within 90 s (last screenshot: $OUT/connectors.png)"; }
say "the window painted the Connectors page ($(( ($(date +%s%N) - START_NANOS) / 1000000 )) ms to a painted screenshot, accent share $painted)"
[ -f "$DATA_DIR/instance.json" ] || die "no instance.json in $DATA_DIR"
APP_PID="$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$DATA_DIR/instance.json")"
[ "$(readlink "/proc/$APP_PID/exe")" = /opt/latchkey/runtime/bin/java ] \
  || die "the app does not run on the image's runtime (its exe is $(readlink "/proc/$APP_PID/exe"))"
api GET /api/catalog | grep -q '"modelcontextprotocol__everything"' || die "the app's API does not list the catalog"
data_mb="$(du -sm "$DATA_DIR" | cut -f1)"
[ "$data_mb" -lt 50 ] || die "the data dir holds $data_mb MB after the first start (at most 50)"
say "the app runs on /opt/latchkey/runtime; its API answers; the data dir holds $data_mb MB after the first start"

# --- 2. a no-sign-in install reaches running -----------------------------------------------------
created="$(api POST /api/installs '{"catalogName":"modelcontextprotocol__everything","userConfig":{},"auth":"none"}')"
INSTALL_ID="$(echo "$created" | json_field id)"
[ -n "$INSTALL_ID" ] || die "POST /api/installs answered: $created"
status=""
for _ in $(seq 1 $(( INSTALL_WAIT_SECONDS / 3 ))); do
  install="$(api GET "/api/installs/$INSTALL_ID")"
  status="$(echo "$install" | json_field status)"
  case "$status" in
    running) break ;;
    failed|stopped|needs_reauth|needs_relogin) die "the everything install ended $status: $(echo "$install" | json_field statusReason)" ;;
  esac
  sleep 3
done
[ "$status" = running ] || die "the everything install is still $status after $INSTALL_WAIT_SECONDS s: $(echo "$install" | json_field statusReason)"
say "the everything install is running: $(echo "$install" | json_field statusReason | cut -c1-80)"
on_display import -window root "$OUT/installed.png" 2>/dev/null || true

# --- 3. a second latchkey hands over ---------------------------------------------------------------
second_start="$(date +%s%N)"
second_exit=0
timeout 30 setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups env -i HOME="$HOME_DIR" \
  PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 DISPLAY=":$DISPLAY_NUMBER" latchkey >"$OUT/second.log" 2>&1 || second_exit=$?
second_ms=$(( ($(date +%s%N) - second_start) / 1000000 ))
kill -0 "$APP" 2>/dev/null || die "the first app exited when a second latchkey started"
# The second start hands over through <data dir>/latchkey.sock and exits 0; how fast is bench/package.sh's to say.
[ "$second_exit" -eq 0 ] && grep -q 'Latchkey is already running' "$OUT/second.log" \
  || die "the second latchkey did not hand over (exit $second_exit): $(cat "$OUT/second.log")"
say "a second latchkey handed over and exited 0 in $second_ms ms"

# --- 4. the other commands, the data dir ---------------------------------------------------------
as_user latchkey url | grep -q '^http://127.0.0.1:[0-9]*/?code=' || die "latchkey url did not print a launch URL"
as_user latchkey connect claude-code --yes >"$OUT/connect.log" 2>&1 || die "latchkey connect failed: $(cat "$OUT/connect.log")"
grep -q '"/usr/bin/latchkey"' "$HOME_DIR/.claude.json" || die "the client entry does not run /usr/bin/latchkey: $(cat "$HOME_DIR/.claude.json")"
as_user latchkey connect claude-code --undo >/dev/null || die "latchkey connect --undo failed"
as_user latchkey doctor >"$OUT/doctor.log" 2>&1 || die "latchkey doctor failed: $(cat "$OUT/doctor.log")"
say "url, connect (/usr/bin/latchkey), doctor work; with the everything install the data dir holds $(du -sm "$DATA_DIR" | cut -f1) MB (its npm cache included)"

kill "$APP"
for _ in $(seq 1 20); do kill -0 "$APP" 2>/dev/null || break; sleep 0.5; done
kill -0 "$APP" 2>/dev/null && die "the app did not stop within 10 s of SIGTERM"

spawn "$OUT/headless.log" latchkey --headless --data-dir "$HOME_DIR/headless"
HEADLESS=$SPAWNED
for _ in $(seq 1 60); do grep -q '^Latchkey is running. Open http://127.0.0.1:' "$OUT/headless.log" && break; sleep 0.5; done
grep -q '^Latchkey is running. Open http://127.0.0.1:' "$OUT/headless.log" || die "latchkey --headless did not print its URL: $(cat "$OUT/headless.log")"
kill "$HEADLESS"

IMAGE_DIR="$HOME_DIR/image"
as_user mkdir -p "$IMAGE_DIR"
as_user tar -xz -C "$IMAGE_DIR" < "$TARBALL"
as_user "$(ls -d "$IMAGE_DIR"/latchkey-*)/bin/latchkey" doctor --data-dir "$HOME_DIR/image-data" >/dev/null \
  || die "the app image from $TARBALL does not run"
say "--headless and the app image from the tarball work"

# --- 5. a damaged install stops with one sentence --------------------------------------------------
damaged() { # WHAT: starts latchkey as the user and as root, each must stop at once with the sentence
  local who out code started ms
  for who in user root; do
    started="$(date +%s%N)"
    code=0
    if [ "$who" = user ]; then
      out="$(timeout 20 setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups env -i HOME="$HOME_DIR" \
        PATH=/usr/bin:/bin DISPLAY=":$DISPLAY_NUMBER" latchkey 2>&1)" || code=$?
    else
      out="$(timeout 20 latchkey --headless --data-dir "$OUT/root-data" 2>&1)" || code=$?
    fi
    ms=$(( ($(date +%s%N) - started) / 1000000 ))
    [ "$code" -eq 1 ] || die "$1, as $who: latchkey exited $code instead of 1: $out"
    [ "$(echo "$out" | wc -l)" -eq 1 ] && echo "$out" | grep -q 'damaged.*reinstall it: sudo apt-get install --reinstall latchkey' \
      || die "$1, as $who: not the one sentence to reinstall: $out"
    [ "$ms" -lt 2000 ] || die "$1, as $who: took $ms ms to stop"
  done
  [ ! -e "$OUT/root-data" ] || die "$1: latchkey as root wrote its data dir before stopping"
  say "$1: stops in $ms ms: $out"
}
mv /opt/latchkey/jcef/locales/de.pak "$OUT/de.pak"
OPT_BEFORE="$(opt_state)"
damaged "a natives file missing"
[ "$(opt_state)" = "$OPT_BEFORE" ] || die "a damaged start wrote into /opt/latchkey"
mv "$OUT/de.pak" /opt/latchkey/jcef/locales/de.pak
cp -p /opt/latchkey/jcef/build_meta.json "$OUT/build_meta.json"
sed -i 's/linux-amd64/linux-arm64/' /opt/latchkey/jcef/build_meta.json   # same size
touch -r "$OUT/build_meta.json" /opt/latchkey/jcef/build_meta.json     # same time
OPT_BEFORE="$(opt_state)"
damaged "a natives file changed"
[ "$(opt_state)" = "$OPT_BEFORE" ] || die "a damaged start wrote into /opt/latchkey"
cp -p "$OUT/build_meta.json" /opt/latchkey/jcef/build_meta.json

# --- 6. apt-get remove keeps the user's data ------------------------------------------------------
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq latchkey >"$OUT/apt-remove.log" 2>&1 || die "apt-get remove failed"
[ ! -e /opt/latchkey ] && [ ! -e /usr/bin/latchkey ] || die "apt-get remove left /opt/latchkey or /usr/bin/latchkey"
[ -f "$DATA_DIR/latchkey.mv.db" ] && [ -f "$DATA_DIR/vault.key" ] || die "apt-get remove took the user's data ($DATA_DIR)"
say "apt-get remove took the app away and left $DATA_DIR ($(ls "$DATA_DIR" | wc -l) entries)"
say "passed"
