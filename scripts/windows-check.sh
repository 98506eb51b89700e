#!/usr/bin/env bash
# PresignDesk for Windows, checked here through the real parts: the setup program that
# packaging/windows/build.sh makes is installed silently into a fresh Wine prefix, and the
# installed programs are run as a person on Windows runs them: the console program in the way
# cmd runs it (inspect, put and get against the playground on 127.0.0.1, verified and
# byte-identical, a Japanese file name, keys that Windows cannot take as file names, a refusal
# explained, --json redirected), the window under Xvfb (it opens, shows the link's sentence; a
# screenshot is left for a person to look at), then the uninstaller, after which nothing is
# left but the user's settings.
#
#   scripts/windows-check.sh               (builds the release: about 9 minutes on 2 cores)
#   PROFILE=windows-check scripts/windows-check.sh   (as CI runs it: optimised without the
#                                           release's whole-program optimisation)
#   PROFILE=dev scripts/windows-check.sh   (builds faster, but the unoptimised programs make the
#                                           tests under Wine slower: 36 minutes in all on 2 cores)
#   SHOTS=DIR scripts/windows-check.sh     (keeps the window's screenshot in DIR)
#
# Wine 8 lacks ProcessPrng, which Rust's standard library calls: a stand-in DLL
# (scripts/windows/wine-prng-shim.c, built here with mingw-w64) is put beside the installed
# programs, in the test prefix only; it is never part of a package.
#
# Prints PASS or FAIL for each check; exit code 1 when one fails.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

need_tools x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64 /usr/lib/wine/wine64:wine64 \
    Xvfb:xvfb xdotool:xdotool import:imagemagick cmp:diffutils
wine=/usr/lib/wine/wine64
# Wine takes the Windows language from LANG only when the system has that locale: the checks
# in Japanese need ja_JP.UTF-8, as a Japanese Windows has its language.
if ! locale -a 2>/dev/null | grep -qix 'ja_JP.utf-\?8'; then
    need_tools locale-gen:locales
    as_root sed -i 's/^# *ja_JP.UTF-8 UTF-8/ja_JP.UTF-8 UTF-8/' /etc/locale.gen
    as_root locale-gen >/dev/null
fi

bash packaging/windows/build.sh
target=$(target_dir)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
setup=$target/packages/PresignDesk-$version-x86_64-setup.exe
cargo build --quiet --example playground --bin presign-desk
release=$target/debug

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    WINEPREFIX=$work/prefix timeout 20 /usr/lib/wine/wineserver64 -k 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree,mshtml="
failed=0
pass() { echo "PASS: $*"; }
flunk() { echo "FAIL: $*"; failed=1; }
check() { local label=$1; shift; if "$@"; then pass "$label"; else flunk "$label"; fi; }

echo "== A fresh Wine prefix"
timeout 300 "$wine" wineboot --init >/dev/null 2>&1
win_home=$(ls -d "$WINEPREFIX"/drive_c/users/*/ | grep -v /Public/ | head -1)
win_home=${win_home%/}
installed=$win_home/AppData/Local/Programs/PresignDesk

echo "== The setup program, silently"
started=$(date +%s)
timeout 300 "$wine" "$setup" /S
echo "installed in $(( $(date +%s) - started )) s"
check "the programs are installed per user" test -f "$installed/presign-desk.exe" -a -f "$installed/presign-desk-cli.exe"
check "the Start-menu entry" test -f "$win_home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/PresignDesk.lnk"
uninstall_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\PresignDesk'
registry=$(timeout 60 "$wine" reg query "$uninstall_key" 2>/dev/null | tr -d '\r' || true)
check "the entry in Installed apps" grep -q "DisplayName.*PresignDesk" <<<"$registry"
check "the entry's publisher and version" grep -q "DisplayVersion.*$version" <<<"$registry"
classes=$(timeout 60 "$wine" reg query 'HKCU\Software\Classes' /s 2>/dev/null | tr -d '\r' || true)
check "no file type or Open-with entry is registered" bash -c '! grep -qi presign <<<"$1"' _ "$classes"

x86_64-w64-mingw32-gcc -O2 -shared -o "$installed/bcryptprimitives.dll" \
    scripts/windows/wine-prng-shim.c scripts/windows/wine-prng-shim.def -ladvapi32

echo "== The console program, against the playground on 127.0.0.1"
port=$((20000 + RANDOM % 20000))
"$release/examples/playground" --port "$port" --data "$work/data" --expires 7200 >"$work/links.txt" &
pids+=($!)
for _ in $(seq 100); do grep -q "^Upload (SigV4)" "$work/links.txt" 2>/dev/null && break; sleep 0.1; done
link() { grep -A1 "^$1" "$work/links.txt" | tail -1 | tr -d ' '; }
sign() {
    cargo run --quiet --example presign -- --endpoint "http://127.0.0.1:$port" --bucket playground \
        --key "$1" --method "$2" --access-key AKIAPLAYGROUNDKEY000 \
        --secret-key playground-secret-key-do-not-use-elsewhere
}
cli() { (cd "$work/files" && timeout 300 "$wine" "$installed/presign-desk-cli.exe" "$@"); }
mkdir -p "$work/files"

set +e
cli --version >"$work/version.txt"
status=$?
set -e
check "--version answers ($(tr -d '\r' <"$work/version.txt"))" test "$status" = 0

set +e
cli inspect "$(link 'Download hello.txt (SigV4)')" --json >"$work/files/inspect.json"
status=$?
set -e
check "inspect --json exits 0 and its redirected output is JSON" \
    bash -c '[ "$1" = 0 ] && python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d" "$2"' _ "$status" "$work/files/inspect.json"
check "the JSON names the bucket and redacts the signature" \
    bash -c 'grep -q playground "$1" && ! grep -qi "X-Amz-Signature=[0-9a-f]\{64\}" "$1"' _ "$work/files/inspect.json"

# 20 MB with a Japanese name, up and back down, verified both ways.
head -c 20000000 /dev/urandom >"$work/files/見積書 2026年12月.bin"
upload=$(sign "fa-106/見積書 2026年12月.bin" put)
set +e
cli put "$upload" "見積書 2026年12月.bin" >"$work/put.txt" 2>&1
status=$?
set -e
tr -d '\r' <"$work/put.txt" | sed 's/^/  | /'
check "put of a 20 MB file with a Japanese name exits 0, verified" \
    bash -c '[ "$1" = 0 ] && grep -qi verified "$2"' _ "$status" "$work/put.txt"
download=$(sign "fa-106/見積書 2026年12月.bin" get)
mkdir -p "$work/files/back"
set +e
cli get "$download" -o 'back\' >"$work/get.txt" 2>&1
status=$?
set -e
tr -d '\r' <"$work/get.txt" | sed 's/^/  | /'
check "get into a folder given with a backslash exits 0" test "$status" = 0
check "what came back is byte-identical, under its Japanese name" \
    cmp -s "$work/files/見積書 2026年12月.bin" "$work/files/back/見積書 2026年12月.bin"

# Keys Windows cannot take as file names: each downloads under a legal one.
printf 'forbidden\n' >"$work/small.txt"
# (The playground's file system takes keys of about 160 bytes at most; the unit tests
# cut such names, 300 Japanese characters among them.)
for key in 'odd/a:b?c*d"e<f>g|h.txt' 'odd/CON' 'odd/nul.txt' 'odd/Com1.log' 'odd/trailing. ' \
    'odd/MiXeD.TXT' "odd/$(printf '長い名前%.0s' $(seq 10)).txt"; do
    "$release/presign-desk" put "$(sign "$key" put)" "$work/small.txt" >/dev/null
    rm -rf "$work/files/legal" && mkdir -p "$work/files/legal"
    set +e
    cli get "$(sign "$key" get)" -o 'legal\' >"$work/get-odd.txt" 2>&1
    status=$?
    set -e
    name=$(ls "$work/files/legal" 2>/dev/null | head -1)
    [ -n "$name" ] || tr -d '\r' <"$work/get-odd.txt" | tail -3 | sed 's/^/  | /' 
    check "the key ${key:0:40}… downloads as \"${name:0:40}\"" \
        bash -c '[ "$1" = 0 ] && [ -n "$2" ] && ! grep -q "[:?*\"<>|]" <<<"$2" && cmp -s "$3" "$4/$2"' \
        _ "$status" "$name" "$work/small.txt" "$work/files/legal"
done

# A path over 260 characters: a deep folder, and the long Japanese name inside it.
deep=$(printf 'folder-with-a-long-name-%02d\\' $(seq 10))
mkdir -p "$work/files/$(tr '\\' / <<<"$deep")"
long_key="odd/$(printf '長い名前%.0s' $(seq 10)).txt"
set +e
cli get "$(sign "$long_key" get)" -o "$deep" >"$work/get-deep.txt" 2>&1
status=$?
set -e
whole=$(cd "$work/files" && find "$(tr '\\' / <<<"$deep")" -type f | head -1)
check "a download to a path of ${#whole} characters (over 260) exits 0, byte-identical" \
    bash -c '[ "$1" = 0 ] && [ "${#2}" -gt 260 ] && cmp -s "$3" "$4/$2"' _ "$status" "$whole" "$work/small.txt" "$work/files"
# Keys that differ only in case: the second asks before replacing (no --overwrite) and
# leaves the first as it was.
"$release/presign-desk" put "$(sign odd/mixed.txt put)" "$work/files/inspect.json" >/dev/null
mkdir -p "$work/files/case"
cli get "$(sign odd/MiXeD.TXT get)" -o 'case\' >/dev/null 2>&1
set +e
cli get "$(sign odd/mixed.txt get)" -o 'case\' >"$work/get-case.txt" 2>&1
status=$?
set -e
check "a key differing only in case from a file there does not replace it (exit $status)" \
    bash -c '[ "$1" != 0 ] && cmp -s "$2" "$3/case/MiXeD.TXT" && [ "$(ls "$3/case" | wc -l)" = 1 ]' _ "$status" "$work/small.txt" "$work/files"
tr -d '\r' <"$work/get-case.txt" | head -3 | sed 's/^/  | /' 

# A file open in another program (held with no sharing, as an open document is): replacing
# it fails, and the message says so in words; the file is left as it was.
x86_64-w64-mingw32-gcc -O2 -municode -o "$work/hold-open.exe" scripts/windows/hold-open.c
mkdir -p "$work/files/held"
printf 'mine\n' >"$work/files/held/hello.txt"
(cd "$work/files" && exec "$wine" "$work/hold-open.exe" 'held\hello.txt' 25) >"$work/hold.txt" 2>&1 &
holder=$!
pids+=($holder)
for _ in $(seq 100); do grep -q holding "$work/hold.txt" 2>/dev/null && break; sleep 0.1; done
set +e
cli get "$(link 'Download hello.txt (SigV4)')" -o 'held\hello.txt' --overwrite >"$work/held.txt" 2>&1
status=$?
set -e
tr -d '\r' <"$work/held.txt" | tail -2 | sed 's/^/  | /'
check "replacing a file open in another program exits 1, says so, and leaves it" \
    bash -c '[ "$1" = 1 ] && grep -q "open in another program" "$2" && [ "$(cat "$3")" = mine ]' \
    _ "$status" "$work/held.txt" "$work/files/held/hello.txt"
kill "$holder" 2>/dev/null || true

# A refusal, explained: the link's signature altered on the way.
signed=$(sign "fa-106/refused.bin" put)
signature=${signed##*X-Amz-Signature=}
first=${signature:0:1}
[ "$first" = 0 ] && other=1 || other=0
altered=${signed%X-Amz-Signature=*}X-Amz-Signature=$other${signature:1}
set +e
cli put "$altered" "見積書 2026年12月.bin" >"$work/refused.txt" 2>&1
status=$?
set -e
tr -d '\r' <"$work/refused.txt" | head -6 | sed 's/^/  | /'
check "a refused upload exits 1 and says why" \
    bash -c '[ "$1" = 1 ] && grep -qi "signature\|署名" "$2"' _ "$status" "$work/refused.txt"
set +e
cli --lang ja inspect "$(link 'Already expired (SigV4)')" >"$work/expired.txt" 2>&1
status=$?
set -e
check "an expired link is said in Japanese, exit 1" \
    bash -c '[ "$1" = 1 ] && grep -q "有効期限" "$2"' _ "$status" "$work/expired.txt"

# A link pasted from a Windows mail: CRLF line ends, wrapped inside a parameter.
hello=$(link 'Download hello.txt (SigV4)')
set +e
cli inspect "$(printf 'Here is the link:\r\n%s\r\n%s\r\n\r\nRegards\r\n' "${hello:0:90}" "${hello:90}")" >"$work/crlf.txt" 2>&1
status=$?
set -e
check "a link in a CRLF message, wrapped mid-parameter, is joined (exit $status)" \
    bash -c '[ "$1" = 0 ] && grep -q "hello.txt" "$2"' _ "$status" "$work/crlf.txt"

echo "== The CLI tests, run through the installed console program"
# The test suite's CLI tests (tests/cli.rs and the others that run the program; CLI_TESTS, if
# set, names other test filters), each program run being the installed presign-desk-cli.exe
# under Wine, against the playground the tests start on 127.0.0.1.
set +e
PRESIGNDESK_RUNNER=$wine PRESIGNDESK_PROGRAM=$installed/presign-desk-cli.exe \
    cargo test --quiet --test suite -- ${CLI_TESTS:-cli:: doctor:: post:: signed_headers:: redaction::} \
    >"$work/cli-tests.txt" 2>&1
status=$?
set -e
grep -E "^test result|^test .*FAILED|panicked" "$work/cli-tests.txt" | sed 's/^/  | /'
check "every CLI test passes through the Windows build" test "$status" = 0

echo "== The window, under Xvfb"
# Settings from %APPDATA%, where the directories crate puts them on Windows: the window
# opens in the language they name.
mkdir -p "$win_home/AppData/Roaming/PresignDesk/config"
printf '{"language": "ja", "theme": "light", "future_option": 1}' >"$win_home/AppData/Roaming/PresignDesk/config/settings.json"
display=:$((70 + RANDOM % 20))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
sleep 1
DISPLAY=$display timeout 120 "$wine" "$installed/presign-desk.exe" gui "$(link 'Download hello.txt (SigV4)')" \
    >"$work/window.log" 2>&1 &
app=$!
pids+=($app)
if window=$(DISPLAY=$display timeout 60 xdotool search --sync --name '^PresignDesk$' 2>/dev/null | head -1); then
    pass "the window opens"
    sleep 4
    shot=$work/window.png
    DISPLAY=$display import -window root "$shot"
    if [ -n "${SHOTS:-}" ]; then mkdir -p "$SHOTS" && cp "$shot" "$SHOTS/windows-window.png"; fi
    if [ -n "${SHOTS:-}" ]; then
        echo "screenshot: $SHOTS/windows-window.png (look at it: in Japanese, from the settings in %APPDATA%, the link's sentence under the field)"
    else
        echo "screenshot taken and removed with the work folder; SHOTS=DIR keeps it"
    fi
    [ -n "$window" ]
else
    flunk "the window opens"
fi
kill "$app" 2>/dev/null || true
timeout 20 /usr/lib/wine/wineserver64 -k 2>/dev/null || true

echo "== The uninstaller, silently"
rm -f "$installed/bcryptprimitives.dll"
timeout 300 "$wine" "$installed/uninstall.exe" /S
# NSIS's uninstaller runs from a copy in the temporary folder: let it finish.
for _ in $(seq 60); do [ -e "$installed" ] || break; sleep 0.5; done
check "the programs are gone" test ! -e "$installed"
check "the Start-menu entry is gone" test ! -e "$win_home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/PresignDesk.lnk"
check "the entry in Installed apps is gone" bash -c '! timeout 60 "$1" reg query "$2" >/dev/null 2>&1' _ "$wine" "$uninstall_key"
check "the user's settings are kept" test -f "$win_home/AppData/Roaming/PresignDesk/config/settings.json"

if [ "$failed" = 0 ]; then echo "windows-check: every check passed"; else echo "windows-check: some checks failed"; fi
exit "$failed"
