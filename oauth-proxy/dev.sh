#!/usr/bin/env bash
# Starts the OAuth proxy and the Latchkey desktop app together, the way a developer tries a new
# provider: the proxy on http://127.0.0.1:8787 with the credentials in oauth-proxy/.env, the app
# pointed at it. Stopping the app stops the proxy.
# Usage: oauth-proxy/dev.sh [desktop flags…]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -q -pl oauth-proxy -am package -DskipTests
LATCHKEY_PROXY_ENV_FILE="${LATCHKEY_PROXY_ENV_FILE:-$root/oauth-proxy/.env}" \
  java -jar oauth-proxy/target/latchkey-oauth-proxy.jar &
proxy=$!
trap 'kill "$proxy" 2>/dev/null || true' EXIT
port="${PORT:-8787}"
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null && break
  kill -0 "$proxy" 2>/dev/null || { echo "the proxy did not start" >&2; exit 1; }
  sleep 0.5
done
echo "proxy serves: $(curl -fs "http://127.0.0.1:$port/oauth/providers")"
if [[ -x ./latchkey ]]; then
  ./latchkey --proxy-url "http://127.0.0.1:$port" "$@"
else
  echo "no ./latchkey launcher yet; the proxy keeps running until Ctrl-C"
  wait "$proxy"
fi
