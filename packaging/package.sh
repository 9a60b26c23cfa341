#!/usr/bin/env bash
# Builds the app image and the Debian package from the built jars (./latchkey package builds them first):
#   dist/latchkey-<version>-linux-x64.tar.gz   the image: runtime/ (jlink'd Java), lib/ (jars), jcef/ (natives), bin/latchkey
#   dist/latchkey_<version>_amd64.deb          the image in /opt/latchkey, /usr/bin/latchkey, a desktop entry and icons
# Nothing is downloaded: the Java runtime comes from the JDK on this machine, the natives from the
# natives jar Maven put in desktop/target/lib. docs/architecture.md, "The packaged app", has the layout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/packaging"
DIST="$ROOT/dist"
WORK="$ROOT/target/package"
APP_LIB="$ROOT/desktop/target/lib"
# Java 25 (Temurin) carries the runtime: its AOT cache (packaging/aot.sh) is what the image starts with.
JDK="${LATCHKEY_PACKAGE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# Modules the app reaches only through a service or a URL scheme, which jdeps cannot see: the jar:
# file system Jetty serves the page's static files from, and the elliptic-curve TLS provider.
EXTRA_MODULES=jdk.zipfs,jdk.crypto.ec

die() { echo "latchkey package: $*" >&2; exit 1; }
step() { echo "latchkey package: [${SECONDS} s] $*" >&2; }

# fakeroot and dpkg-deb build the .deb, dpkg-shlibdeps finds its Depends, rsvg-convert draws the icon
# sizes, desktop-file-validate checks the desktop entry; Xvfb runs packaging/aot.sh's training start.
install_prerequisites() {
  local missing=()
  command -v fakeroot >/dev/null || missing+=(fakeroot)
  command -v dpkg-shlibdeps >/dev/null || missing+=(dpkg-dev)
  command -v rsvg-convert >/dev/null || missing+=(librsvg2-bin)
  command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
  if [ -x "$HERE/aot.sh" ]; then
    command -v Xvfb >/dev/null || missing+=(xvfb)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  local line="apt-get update && apt-get install -y ${missing[*]}"
  [ "$(id -u)" -eq 0 ] || die "packaging needs ${missing[*]}; install them as root: $line"
  step "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}; try: $line"
}

# The project's version (the parent pom's), and its Debian form (a snapshot sorts before the release).
read_version() {
  VERSION="$(sed -n '0,/<artifactId>latchkey-parent<\/artifactId>/d; s/.*<version>\(.*\)<\/version>.*/\1/p' "$ROOT/pom.xml" | head -1)"
  [ -n "$VERSION" ] || die "cannot read the version from pom.xml"
  DEB_VERSION="${VERSION/-SNAPSHOT/~snapshot}"
}

# The jlink'd runtime: the modules jdeps finds in the app's jars, plus the ones it cannot see.
make_runtime() {
  local jars modules
  jars="$(ls "$ROOT/desktop/target/latchkey-desktop.jar" "$APP_LIB"/*.jar | grep -v /jcef-natives-)"
  # shellcheck disable=SC2086
  modules="$("$JDK/bin/jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps $jars 2>/dev/null | tail -1)"
  [[ "$modules" == java.base* ]] || die "jdeps did not list the app's modules (it printed: $modules)"
  step "runtime modules: $modules,$EXTRA_MODULES"
  "$JDK/bin/jlink" --add-modules "$modules,$EXTRA_MODULES" --strip-debug --no-man-pages --no-header-files \
    --generate-cds-archive --output "$IMAGE/runtime" >/dev/null
}

copy_jars() {
  mkdir -p "$IMAGE/lib"
  cp "$ROOT/desktop/target/latchkey-desktop.jar" "$IMAGE/lib/"
  # The natives jar stays out: its contents are extracted into jcef/ below.
  find "$APP_LIB" -name '*.jar' ! -name 'jcef-natives-*' -exec cp {} "$IMAGE/lib/" \;
}

# The CEF natives, extracted once here the way jcefmaven does on a first run (its tar.gz, then
# install.lock), and checked: jcefmaven takes them as installed only when build_meta.json names
# the release its jcef-api jar expects, for this platform, and the libraries find what they link.
extract_natives() {
  local natives expected installed missing
  natives="$(ls "$APP_LIB"/jcef-natives-linux-amd64-*.jar 2>/dev/null | head -1)"
  [ -n "$natives" ] || die "no jcef-natives-linux-amd64 jar in $APP_LIB; build the app first (./latchkey package does)"
  mkdir -p "$IMAGE/jcef"
  unzip -p "$natives" '*.tar.gz' | tar -xz -C "$IMAGE/jcef" || die "cannot extract the natives from $natives"
  touch "$IMAGE/jcef/install.lock"
  expected="$(unzip -p "$APP_LIB"/jcef-api-*.jar build_meta.json | sed -n 's/.*"release_tag": *"\([^"]*\)".*/\1/p')"
  installed="$(sed -n 's/.*"release_tag": *"\([^"]*\)".*/\1/p' "$IMAGE/jcef/build_meta.json")"
  [ -n "$expected" ] && [ "$expected" = "$installed" ] \
    || die "the natives are release \"$installed\" but jcef-api expects \"$expected\"; rebuild the app"
  grep -q '"platform": *"linux-amd64"' "$IMAGE/jcef/build_meta.json" || die "the natives are not for linux-amd64"
  missing="$(LD_LIBRARY_PATH="$IMAGE/jcef:$IMAGE/runtime/lib:$IMAGE/runtime/lib/server" ldd "$IMAGE/jcef/libcef.so" "$IMAGE/jcef/libjcef.so" "$IMAGE/jcef/jcef_helper" \
    "$IMAGE/runtime/lib/libawt_xawt.so" 2>&1 | sed -n 's/^\t\(.*\) => not found/\1/p' | sort -u | tr '\n' ' ')"
  [ -z "$missing" ] || die "the natives need libraries this machine lacks: $missing(apt-get install -y chromium pulls them)"
  step "natives: $installed, $(du -sm "$IMAGE/jcef" | cut -f1) MB, checked"
}

# bin/latchkey with the image's classpath: the app jar first, then the others in a fixed order, so
# every start (the AOT training run included) sees the same one.
write_launcher() {
  local classpath
  classpath="@IMAGE@/lib/latchkey-desktop.jar$(cd "$IMAGE/lib" && ls *.jar | grep -vx latchkey-desktop.jar | LC_ALL=C sort | sed 's|^|:@IMAGE@/lib/|' | tr -d '\n')"
  mkdir -p "$IMAGE/bin"
  sed -e "s|@CLASSPATH@|$classpath|" -e "s|@VERSION@|$VERSION|g" "$HERE/launcher.sh" > "$IMAGE/bin/latchkey"
  chmod 0755 "$IMAGE/bin/latchkey"
}

# The lists bin/latchkey checks the image against before every start (see its check_image): the
# checksums of the files jcefmaven reads, then every file's size and modification time.
write_file_list() {
  (cd "$IMAGE" && sha256sum jcef/build_meta.json jcef/install.lock jcef/vk_swiftshader_icd.json > lib/image.sha256)
  (cd "$IMAGE" && find . -type f ! -path ./lib/image.files -printf '%s %Ts %P\n' | LC_ALL=C sort -k3) > "$WORK/files"
  mv "$WORK/files" "$IMAGE/lib/image.files"
}

build_image() {
  rm -rf "$WORK" && mkdir -p "$WORK" "$DIST"
  IMAGE="$WORK/latchkey-$VERSION"
  step "jlink ($("$JDK/bin/java" -version 2>&1 | head -1))"
  make_runtime
  copy_jars
  extract_natives
  write_launcher
  chmod -R u+rwX,go+rX,go-w "$IMAGE"
  write_file_list
  if [ -x "$HERE/aot.sh" ]; then
    step "AOT cache (packaging/aot.sh)"
    "$HERE/aot.sh" "$IMAGE" || die "packaging/aot.sh failed; see its output above"
    chmod -R u+rwX,go+rX,go-w "$IMAGE"
    write_file_list
  fi
  "$IMAGE/bin/latchkey" --help >/dev/null || die "the image's bin/latchkey --help failed"
  TARBALL="$DIST/latchkey-$VERSION-linux-x64.tar.gz"
  step "writing $TARBALL"
  tar -C "$WORK" -cf - "latchkey-$VERSION" | gzip -6 > "$TARBALL"
}

# The freedesktop icon sizes, drawn from the page's own icon.
make_icons() {
  local root="$1" svg="$ROOT/web-ui/src/main/resources/web/favicon.svg" size
  install -D -m 0644 "$svg" "$root/usr/share/icons/hicolor/scalable/apps/latchkey.svg"
  for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$root/usr/share/icons/hicolor/${size}x${size}/apps"
    rsvg-convert -w "$size" -h "$size" "$svg" -o "$root/usr/share/icons/hicolor/${size}x${size}/apps/latchkey.png"
  done
}

# Depends: the Debian packages of the libraries the natives and the runtime link against
# (dpkg-shlibdeps, the image's own libraries excluded), plus what they open at run time.
compute_depends() {
  local shl="$WORK/shlibdeps" args=() lib
  mkdir -p "$shl/debian"
  printf 'Source: latchkey\n\nPackage: latchkey\nArchitecture: amd64\n' > "$shl/debian/control"
  while IFS= read -r lib; do args+=("-e$lib"); done < <(find "$IMAGE/jcef" "$IMAGE/runtime" -type f \( -name '*.so*' -o -name jcef_helper -o -name chrome-sandbox -o -path '*/bin/java' \))
  DEPENDS="$(cd "$shl" && dpkg-shlibdeps -O --ignore-missing-info -l"$IMAGE/jcef" -l"$IMAGE/runtime/lib" -l"$IMAGE/runtime/lib/server" \
    "${args[@]}" 2>"$shl/log" | sed -n 's/^shlibs:Depends=//p')" || true
  [ -n "$DEPENDS" ] || { cat "$shl/log" >&2; die "dpkg-shlibdeps could not name the packages of the natives' libraries (above); apt-get install -y chromium pulls them"; }
  # AWT opens fontconfig with dlopen; bubblewrap runs the catalog servers (LATCHKEY_REQUIRE_SANDBOX).
  DEPENDS="$DEPENDS, libfontconfig1, bubblewrap"
}

build_deb() {
  local root="$WORK/deb"
  mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications"
  cp -a "$IMAGE" "$root/opt/latchkey"
  ln -s /opt/latchkey/bin/latchkey "$root/usr/bin/latchkey"
  install -m 0644 "$HERE/latchkey.desktop" "$root/usr/share/applications/latchkey.desktop"
  desktop-file-validate "$root/usr/share/applications/latchkey.desktop" || die "the desktop entry does not validate (above)"
  make_icons "$root"
  compute_depends
  INSTALLED_KB="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
  sed -e "s|@VERSION@|$DEB_VERSION|" -e "s|@DEPENDS@|$DEPENDS|" -e "s|@INSTALLED_SIZE@|$INSTALLED_KB|" \
    "$HERE/control" > "$root/DEBIAN/control"
  DEB="$DIST/latchkey_${DEB_VERSION}_amd64.deb"
  step "writing $DEB (Depends: $DEPENDS)"
  fakeroot dpkg-deb -Zzstd -z3 --build "$root" "$DEB" >/dev/null
}

[ -x "$JDK/bin/jlink" ] || die "packaging needs a JDK with jlink at $JDK (Temurin 25); set LATCHKEY_PACKAGE_JDK to another one"
[ -f "$ROOT/desktop/target/latchkey-desktop.jar" ] || die "build the app first (./latchkey package does)"
install_prerequisites
read_version
build_image
build_deb
rm -rf "$WORK/deb" "$WORK/shlibdeps"
step "done"
echo "$TARBALL ($(du -m "$TARBALL" | cut -f1) MB)"
echo "$DEB ($(du -m "$DEB" | cut -f1) MB, installs $(( INSTALLED_KB / 1024 )) MB)"
