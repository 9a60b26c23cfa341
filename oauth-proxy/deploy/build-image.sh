#!/usr/bin/env bash
# Builds the OAuth proxy's OCI image as a tar, with no Docker daemon and no registry:
#   1. package the proxy;
#   2. jlink a small Java runtime with the modules the proxy needs (jdeps lists them);
#   3. copy the shared libraries that runtime links against (glibc, zlib…) beside it;
#   4. Jib lays that base and the proxy's classes onto `scratch` and writes
#      oauth-proxy/target/latchkey-oauth-proxy-image.tar (load it with `docker load`,
#      `podman load` or push it with `skopeo copy docker-archive:…`).
# Set CHECK=1 to unpack the image and start it once in a chroot (root only).
set -euo pipefail
cd "$(dirname "$0")/../.."
module=oauth-proxy
rootfs=$module/target/image-rootfs
mvn -q -pl $module -am package -DskipTests

rm -rf "$rootfs"
modules=$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps $module/target/latchkey-oauth-proxy.jar)
jlink --add-modules "$modules,jdk.crypto.ec,jdk.localedata" --include-locales en --strip-debug --no-man-pages \
  --no-header-files --compress=2 --output "$rootfs/opt/java"
# The runtime's own binaries and libraries name what they link; copy exactly those files.
find "$rootfs/opt/java" \( -name '*.so' -o -path '*/bin/*' \) -type f -print0 \
  | xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }' | sort -u \
  | while read -r lib; do
      mkdir -p "$rootfs$(dirname "$lib")"
      cp -L "$lib" "$rootfs$lib"
    done
mkdir -p "$rootfs/tmp" "$rootfs/etc"
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/" 2>/dev/null || true
echo "proxy:x:65532:65532:proxy:/app:/sbin/nologin" > "$rootfs/etc/passwd"

mvn -q -pl $module jib:buildTar
tar=$module/target/latchkey-oauth-proxy-image.tar
echo "image: $tar ($(du -h "$tar" | cut -f1))"

if [[ "${CHECK:-0}" == 1 ]]; then
  check=$module/target/image-check
  rm -rf "$check" && mkdir -p "$check/rootfs"
  tar -xf "$tar" -C "$check"
  for layer in $(python3 -c "import json;print(' '.join(json.load(open('$check/manifest.json'))[0]['Layers']))"); do
    tar --warning=no-unknown-keyword -xzf "$check/$layer" -C "$check/rootfs"
  done
  chroot=$(command -v chroot)
  # A container runtime mounts /proc; the JVM needs it (the launcher finds its libraries through it).
  mkdir -p "$check/rootfs/proc" && mount -t proc proc "$check/rootfs/proc"
  trap 'umount "$check/rootfs/proc"' EXIT
  (cd "$check/rootfs" && env -i PORT=18787 BIND_ADDRESS=127.0.0.1 GITHUB_CLIENT_ID=check GITHUB_CLIENT_SECRET=check \
      "$chroot" --userspec=65532:65532 . /opt/java/bin/java -cp @/app/jib-classpath-file dev.latchkey.proxy.ProxyMain) &
  pid=$!
  for _ in $(seq 1 40); do
    if curl -fs http://127.0.0.1:18787/oauth/providers; then echo; break; fi
    sleep 0.5
  done
  kill "$pid"
fi
