#!/usr/bin/env bash
# The Windows packages, cross-built on Linux into the build folder's packages/:
#   PresignDesk-VERSION-x86_64-setup.exe      the setup program (NSIS; per user, no admin)
#   presign-desk-VERSION-x86_64-windows.zip   the same programs to run from any folder
# and checked: the window program has the GUI subsystem and the console one the CUI subsystem,
# both carry the icon and the version information, the setup program and the zip hold what
# they should. packaging/build.sh runs it after the Linux packages; scripts/windows-check.sh
# runs it, then installs and runs the result under Wine.
#
#   packaging/windows/build.sh            # release build (as shipped)
#   PROFILE=dev packaging/windows/build.sh   # a quicker build, for trying the installer
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/common.sh

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

triple=x86_64-pc-windows-gnu
profile=${PROFILE:-release}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
target=$(target_dir) || fail "cargo metadata could not say where cargo builds"
out=$target/packages
mkdir -p "$out"

say "Windows tools"
need_tools x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64 x86_64-w64-mingw32-objdump:binutils-mingw-w64-x86-64 \
    makensis:nsis zip:zip unzip:unzip strings:binutils
if ! rustup target list --installed 2>/dev/null | grep -qx "$triple"; then
    rustup target add "$triple" || fail "rustup could not add the $triple target"
fi
echo "$(x86_64-w64-mingw32-gcc --version | head -1); makensis $(makensis -VERSION)"

say "Windows programs ($profile)"
started=$(date +%s)
cargo build --locked --profile "$profile" --target "$triple" --bin presign-desk --bin presign-desk-cli
folder=$target/$triple/$([ "$profile" = dev ] && echo debug || echo "$profile")
echo "built in $(( $(date +%s) - started )) s"
gui=$folder/presign-desk.exe
cli=$folder/presign-desk-cli.exe

say "Check: subsystems, icon and version information"
subsystem() { x86_64-w64-mingw32-objdump -p "$1" | sed -n 's/^Subsystem[[:space:]]*[0-9a-f]*[[:space:]]*//p'; }
[ "$(subsystem "$gui")" = "(Windows GUI)" ] || fail "presign-desk.exe is $(subsystem "$gui"), not a window program"
[ "$(subsystem "$cli")" = "(Windows CUI)" ] || fail "presign-desk-cli.exe is $(subsystem "$cli"), not a console program"
echo "presign-desk.exe: $(subsystem "$gui"); presign-desk-cli.exe: $(subsystem "$cli")"
for exe in "$gui" "$cli"; do
    # The version resource holds its fields as UTF-16 strings.
    fields=$(strings -el "$exe")
    for field in ProductName PresignDesk CompanyName "The PresignDesk developers" ProductVersion "$version"; do
        grep -qxF "$field" <<<"$fields" || fail "$(basename "$exe") has no \"$field\" in its version information"
    done
    x86_64-w64-mingw32-objdump -h "$exe" | grep -q '\.rsrc' || fail "$(basename "$exe") has no resources (icon)"
done
echo "both: the icon and version information (PresignDesk $version, The PresignDesk developers)"

say "Staging"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
install -Dm755 "$gui" "$stage/presign-desk.exe"
install -Dm755 "$cli" "$stage/presign-desk-cli.exe"
install -Dm644 assets/icons/presign-desk.ico "$stage/presign-desk.ico"
# Windows readers expect CRLF line ends in .txt files.
{ cat LICENSE-MIT; printf '\n\n'; cat LICENSE-APACHE; printf '\n\n'; cat assets/fonts/OFL.txt; } |
    sed 's/$/\r/' >"$stage/LICENSE.txt"
sed 's/$/\r/' packaging/windows/README.txt >"$stage/README.txt"
mkdir -p "$stage/completions"
completion=$target/release/generated/completions/presign-desk.ps1
if [ ! -f "$completion" ]; then
    # Not made by packaging/build.sh this time: the program for this machine writes it.
    cargo build --quiet --bin presign-desk
    "$target/debug/presign-desk" --lang en completions powershell >"$stage/completions/presign-desk.ps1"
else
    cp "$completion" "$stage/completions/presign-desk.ps1"
fi

say "Setup program"
setup=$out/PresignDesk-$version-x86_64-setup.exe
makensis -V2 -DVERSION="$version" -DSOURCE="$stage" -DOUTFILE="$setup" packaging/windows/installer.nsi
[ "$(subsystem "$setup")" = "(Windows GUI)" ] || fail "the setup program is not a window program"
echo "$setup"

say "Portable zip"
zipfile=$out/presign-desk-$version-x86_64-windows.zip
rm -f "$zipfile"
(cd "$stage" && mkdir "PresignDesk-$version" && mv ./*.exe ./*.ico ./*.txt completions "PresignDesk-$version/" &&
    zip -q -r -X "$zipfile" "PresignDesk-$version")
listing=$(unzip -Z1 "$zipfile")
for path in presign-desk.exe presign-desk-cli.exe LICENSE.txt README.txt completions/presign-desk.ps1; do
    grep -qxF "PresignDesk-$version/$path" <<<"$listing" || fail "the zip does not hold $path"
done
echo "$zipfile"

say "Windows packages"
for package in "$setup" "$zipfile" "$gui" "$cli"; do
    printf '%-60s %12s bytes\n' "$package" "$(stat -c %s "$package")"
done
