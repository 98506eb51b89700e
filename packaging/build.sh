#!/usr/bin/env bash
# Builds every package this system can make into target/packages/, then checks its own output
# and fails loudly when a check fails.
#
#   packaging/build.sh              # the .deb and the .tar.gz (on Debian and its kin)
#   INSTALL_TEST=1 packaging/build.sh   # also installs the .deb, checks it, and removes it
#                                       # (root only; runs tests/package.rs)
#
# Windows (MSI, NSIS) and macOS (.app in a .dmg) are configured in Cargo.toml's
# [package.metadata.packager] and built on those systems; see packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

app_id=io.github.presigndesk.PresignDesk
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
out=target/packages
arch=$(uname -m)

say "Tools"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
command -v appstreamcli >/dev/null || missing+=(appstream)
command -v lintian >/dev/null || missing+=(lintian)
command -v strings >/dev/null || missing+=(binutils)
command -v dpkg-deb >/dev/null || fail "dpkg-deb not found: this script makes Debian packages and runs on Debian or its kin"
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! cargo deb --version >/dev/null 2>&1; then
    echo "installing cargo-deb"
    cargo install --locked cargo-deb
fi
echo "cargo-deb $(cargo deb --version 2>/dev/null | awk '{print $NF}'), $(appstreamcli --version | head -1), lintian $(lintian --version | awk '{print $NF}')"

say "Release binary"
started=$(date +%s)
cargo build --release --locked --bin presign-desk
echo "built in $(( $(date +%s) - started )) s"
bin=target/release/presign-desk

rm -rf "$out"
mkdir -p "$out"

say "Debian package"
cargo deb --no-build --output "$out/"
deb=$(ls "$out"/presign-desk_"$version"-*_*.deb)
echo "$deb"

say "Tarball"
stage=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$stage" "$work"' EXIT
tar_dir=$stage/presign-desk-$version
install -Dm755 "$bin" "$tar_dir/bin/presign-desk"
install -Dm644 "packaging/linux/$app_id.desktop" "$tar_dir/share/applications/$app_id.desktop"
install -Dm644 "packaging/linux/$app_id.metainfo.xml" "$tar_dir/share/metainfo/$app_id.metainfo.xml"
install -Dm644 assets/icon.svg "$tar_dir/share/icons/hicolor/scalable/apps/$app_id.svg"
for size in 32 48 64 128 256 512; do
    install -Dm644 "assets/icons/presign-desk-$size.png" \
        "$tar_dir/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
install -Dm644 LICENSE-MIT "$tar_dir/LICENSE-MIT"
install -Dm644 LICENSE-APACHE "$tar_dir/LICENSE-APACHE"
install -Dm644 assets/fonts/OFL.txt "$tar_dir/LICENSE-FONT-OFL.txt"
install -Dm644 packaging/linux/INSTALL.txt "$tar_dir/INSTALL.txt"
tarball=$out/presign-desk-$version-$arch-linux.tar.gz
tar -C "$stage" --owner=0 --group=0 -czf "$tarball" "presign-desk-$version"
echo "$tarball"

say "Check 1: desktop entry and AppStream metadata"
desktop-file-validate "packaging/linux/$app_id.desktop"
echo "desktop-file-validate: passed"
appstreamcli validate --no-net "packaging/linux/$app_id.metainfo.xml"

say "Check 2: what the .deb holds"
contents=$(dpkg-deb --contents "$deb" | awk '{print $NF}')
for path in ./usr/bin/presign-desk \
    "./usr/share/applications/$app_id.desktop" \
    "./usr/share/metainfo/$app_id.metainfo.xml" \
    "./usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
    "./usr/share/doc/presign-desk/copyright"; do
    grep -qxF "$path" <<<"$contents" || fail "$deb does not hold $path"
    echo "holds $path"
done
for size in 32 48 64 128 256 512; do
    path=./usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png
    grep -qxF "$path" <<<"$contents" || fail "$deb does not hold $path"
done
echo "holds the icon at 32, 48, 64, 128, 256 and 512 px"

# Every library the binary loads at run time must be a dependency (or a recommendation).
control=$(dpkg-deb --field "$deb" Depends Recommends)
echo "$control"
# (A name can sit at the end of a run of symbol names: keep what follows the last "lib".)
for soname in $(strings "$bin" | grep -oE 'lib[A-Za-z0-9_+-]+\.so\.[0-9]+' |
    sed -E 's/.*(lib[A-Za-z0-9_+-]*\.so\.[0-9]+)$/\1/' | sort -u); do
    package=$(dpkg -S "*/$soname" 2>/dev/null | head -1 | cut -d: -f1 || true)
    if [ -z "$package" ]; then
        echo "  $soname: not installed on this machine, cannot check its package"
    elif [ "$package" = libc6 ] || [ "$package" = libgcc-s1 ] || grep -qE "(^|[ ,])$package([ ,(]|$)" <<<"$control"; then
        echo "  $soname: $package"
    else
        fail "the binary loads $soname ($package), which the package does not depend on"
    fi
done

say "Check 3: the unpacked binary runs"
dpkg -x "$deb" "$work/root"
"$work/root/usr/bin/presign-desk" --version
"$work/root/usr/bin/presign-desk" --help >/dev/null
echo "--help: ok"
# The menu runs the desktop entry's Exec line with no link: it must open the window.
exec_line=$(sed -n 's/^Exec=//p' "$work/root/usr/share/applications/$app_id.desktop" | sed 's/ %u//')
if command -v Xvfb >/dev/null && command -v xdotool >/dev/null; then
    display=:$((60 + RANDOM % 30))
    Xvfb "$display" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb=$!
    sleep 1
    # shellcheck disable=SC2086 # the Exec line is split into words, as the menu does
    set -- $exec_line
    DISPLAY=$display XDG_CONFIG_HOME=$work/config "$work/root/usr/bin/$1" "${@:2}" &
    app=$!
    if DISPLAY=$display timeout 20 xdotool search --sync --pid "$app" --name PresignDesk >/dev/null; then
        echo "\"$exec_line\" opened the window"
        opened=1
    else
        opened=0
    fi
    kill "$app" "$xvfb" 2>/dev/null || true
    wait "$app" "$xvfb" 2>/dev/null || true
    [ "$opened" = 1 ] || fail "\"$exec_line\" did not open a window"
else
    echo "Xvfb or xdotool missing: the window check from the menu's Exec line was skipped"
fi

say "Check 4: lintian"
lintian_out=$(lintian "$deb" 2>&1 | grep -v 'running with root privileges' || true)
echo "${lintian_out:-no tags}"
if grep -q '^E:' <<<"$lintian_out"; then
    fail "lintian reports errors"
fi
echo "lintian: no errors ($(grep -c '^W:' <<<"$lintian_out" || true) warnings, listed above)"

say "Check 5: sizes"
size_of() { stat -c %s "$1"; }
printf '%-52s %12s bytes\n' "$bin" "$(size_of "$bin")"
printf '%-52s %12s bytes\n' "$deb" "$(size_of "$deb")"
printf '%-52s %12s bytes\n' "$tarball" "$(size_of "$tarball")"

if [ "${INSTALL_TEST:-0}" = 1 ]; then
    say "Install test"
    PRESIGNDESK_DEB=$PWD/$deb cargo test --locked --test package -- --ignored --nocapture
fi

say "All checks passed; packages are in $out/"
