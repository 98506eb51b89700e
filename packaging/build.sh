#!/usr/bin/env bash
# Builds every package this system can make into the build folder's packages/ (target/packages/,
# or $CARGO_TARGET_DIR/packages/: wherever cargo builds), then checks its own output and fails
# loudly when a check fails. Runs from any folder.
#
#   packaging/build.sh              # the .deb and the .tar.gz (on Debian and its kin), and the
#                                   # Windows setup program and .zip (packaging/windows/build.sh)
#   WINDOWS=0 packaging/build.sh    # the Linux packages only
#   INSTALL_TEST=1 packaging/build.sh   # also installs the .deb, checks it, and removes it
#                                       # (root only; runs tests/package.rs)
#
# macOS (.app in a .dmg) is configured in Cargo.toml's [package.metadata.packager] and built on
# a Mac; see packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

app_id=io.github.presigndesk.PresignDesk
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
arch=$(uname -m)
target=$(target_dir) || fail "cargo metadata could not say where cargo builds"
out=$target/packages
echo "build folder: $target"

say "Tools"
command -v dpkg-deb >/dev/null || fail "dpkg-deb not found: this script makes Debian packages and runs on Debian or its kin"
need_tools desktop-file-validate:desktop-file-utils appstreamcli:appstream lintian:lintian \
    strings:binutils man:man-db gzip:gzip
if ! cargo deb --version >/dev/null 2>&1; then
    echo "installing cargo-deb"
    cargo install --locked cargo-deb
fi
echo "cargo-deb $(cargo deb --version 2>/dev/null | awk '{print $NF}'), $(appstreamcli --version | head -1), lintian $(lintian --version | awk '{print $NF}')"

say "Release binary"
started=$(date +%s)
cargo build --release --locked --bin presign-desk
echo "built in $(( $(date +%s) - started )) s"
bin=$target/release/presign-desk
[ -x "$bin" ] || fail "cargo built, but $bin is not there"

rm -rf "$out"
mkdir -p "$out"

say "Manual pages and shell completions"
# Made by the program from its own parser (the same text as --help), into the folder that
# Cargo.toml's deb assets name (cargo-deb reads target/release/ as the real build folder).
generated=$target/release/generated
rm -rf "$generated"
"$bin" man-pages "$generated/man" >/dev/null
gzip -9n "$generated"/man/man1/*.1 "$generated"/man/ja/man1/*.1
mkdir -p "$generated/completions"
"$bin" --lang en completions bash >"$generated/completions/presign-desk"
"$bin" --lang en completions zsh >"$generated/completions/_presign-desk"
"$bin" --lang en completions fish >"$generated/completions/presign-desk.fish"
"$bin" --lang en completions powershell >"$generated/completions/presign-desk.ps1"
for page in "$generated"/man/man1/*.1.gz; do
    # man reports what it cannot typeset; any such line fails the build.
    warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null || true)
    [ -z "$warnings" ] || fail "$(basename "$page"): $warnings"
done
echo "$(ls "$generated"/man/man1 | wc -l) pages in English, $(ls "$generated"/man/ja/man1 | wc -l) in Japanese; completions for bash, zsh, fish and PowerShell"

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
for page in "$generated"/man/man1/*.1.gz; do
    install -Dm644 "$page" "$tar_dir/share/man/man1/$(basename "$page")"
done
for page in "$generated"/man/ja/man1/*.1.gz; do
    install -Dm644 "$page" "$tar_dir/share/man/ja/man1/$(basename "$page")"
done
install -Dm644 "$generated/completions/presign-desk" "$tar_dir/share/bash-completion/completions/presign-desk"
install -Dm644 "$generated/completions/_presign-desk" "$tar_dir/share/zsh/site-functions/_presign-desk"
install -Dm644 "$generated/completions/presign-desk.fish" "$tar_dir/share/fish/vendor_completions.d/presign-desk.fish"
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
    ./usr/share/man/man1/presign-desk.1.gz \
    ./usr/share/man/man1/presign-desk-put.1.gz \
    ./usr/share/man/ja/man1/presign-desk.1.gz \
    ./usr/share/bash-completion/completions/presign-desk \
    ./usr/share/zsh/vendor-completions/_presign-desk \
    ./usr/share/fish/vendor_completions.d/presign-desk.fish \
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
MANWIDTH=80 man -l "$work/root/usr/share/man/man1/presign-desk.1.gz" 2>/dev/null | grep -q 'presign-desk-put' ||
    fail "the unpacked manual page does not render"
echo "man -l presign-desk.1.gz: renders"
# What Tab does: the completion loaded as bash-completion loads it, then asked to complete.
completed=$(bash -c '. "$1"; COMP_WORDS=(presign-desk get --conn); COMP_CWORD=2
    _presign_desk_at_file presign-desk --conn get; printf "%s " "${COMPREPLY[@]}"' _ \
    "$work/root/usr/share/bash-completion/completions/presign-desk")
grep -q -- '--connections' <<<"$completed" || fail "bash completes 'get --conn' as '$completed'"
echo "bash: 'presign-desk get --conn<Tab>' completes to $completed"
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
if grep -qE 'no-manual-page|manpage-has-|groff-message|bash-completion' <<<"$lintian_out"; then
    fail "lintian finds fault with the manual pages or completions"
fi
echo "lintian: no errors ($(grep -c '^W:' <<<"$lintian_out" || true) warnings, listed above)"

say "Check 5: sizes"
size_of() { stat -c %s "$1"; }
printf '%-60s %12s bytes\n' "$bin" "$(size_of "$bin")"

if [ "${INSTALL_TEST:-0}" = 1 ]; then
    say "Install test"
    PRESIGNDESK_DEB=$deb cargo test --locked --test suite -- --ignored --nocapture package::
fi

if [ "${WINDOWS:-1}" = 1 ]; then
    say "Windows"
    bash packaging/windows/build.sh
else
    echo "WINDOWS=0: the Windows packages were not built"
fi

say "All checks passed; the packages:"
for package in "$out"/*; do
    printf '%-60s %12s bytes\n' "$package" "$(stat -c %s "$package")"
done
