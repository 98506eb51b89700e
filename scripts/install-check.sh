#!/usr/bin/env bash
# The scripts' package installs, checked against a package source that cannot be reached: apt
# is given the machine's own sources plus one on 127.0.0.1 where nothing answers and a local
# one caught in the middle of a sync, and `need_tools` must still install a missing tool from
# the sources that work. Then, with every tool present, it must not call the package manager.
#
#   scripts/install-check.sh          (root; installs GNU hello and removes it again)
#
# Prints what apt said and PASS or FAIL for each check; exit code 1 when one fails.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

[ "$(id -u)" = 0 ] || { echo "install-check.sh changes installed packages: run it as root"; exit 2; }
command -v apt-get >/dev/null || { echo "install-check.sh needs apt-get"; exit 2; }
tool=hello package=hello
if command -v "$tool" >/dev/null; then
    echo "$tool is installed already; the check needs it missing"
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"; apt-get remove -y -qq "$package" >/dev/null 2>&1 || true' EXIT
# A mirror in the middle of a sync: its Release names a Packages file of another size and hash
# than the one it holds, so apt-get update ends with "E: Failed to fetch ... Hash Sum mismatch"
# (or "File has unexpected size ... Mirror sync in progress?") and exit status 100.
mirror=$work/mirror/debian/dists/bookworm
mkdir -p "$mirror/main/binary-amd64"
printf 'Package: presign-desk-sync-test\nVersion: 1\nArchitecture: all\n\n' >"$mirror/main/binary-amd64/Packages"
cat >"$mirror/Release" <<EOF
Suite: bookworm
Codename: bookworm
Architectures: amd64
Components: main
Date: $(date -u -R)
SHA256:
 0000000000000000000000000000000000000000000000000000000000000000 99999 main/binary-amd64/Packages
EOF
# The machine's sources, one more that cannot be reached, and the mirror in mid-sync.
mkdir -p "$work/sources.list.d"
cp /etc/apt/sources.list.d/* "$work/sources.list.d/" 2>/dev/null || true
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$work/sources.list.d/main.list"
echo "deb http://127.0.0.1:9/debian bookworm main" >"$work/sources.list.d/unreachable.list"
echo "deb [trusted=yes] file:$work/mirror/debian bookworm main" >"$work/sources.list.d/syncing.list"
cat >"$work/apt.conf" <<EOF
#clear Dir::Etc::sourcelist;
Dir::Etc::sourcelist "/dev/null";
Dir::Etc::sourceparts "$work/sources.list.d";
Acquire::Retries "0";
EOF
export APT_CONFIG=$work/apt.conf

failed=0
check() { if "$@"; then echo "PASS: $label"; else echo "FAIL: $label"; failed=1; fi; }

echo "== need_tools $tool:$package, with one source unreachable and one in mid-sync"
started=$(date +%s)
set +e
(need_tools "$tool:$package") >"$work/out" 2>&1
status=$?
set -e
sed 's/^/  | /' "$work/out"
echo "  (exit $status, $(( $(date +%s) - started )) s)"
label="the refresh's failure is a warning, not the end"
check grep -q "warning: apt-get update failed" "$work/out"
label="apt-get update itself failed (the mid-sync mirror)"
check grep -qE "^E: .*(Hash Sum mismatch|unexpected size)" "$work/out"
label="$tool is installed from the sources that work"
check command -v "$tool"
label="need_tools returned 0"
check test "$status" = 0

echo "== need_tools $tool:$package again, with $tool present"
# A package manager that would fail loudly if it were called.
mkdir -p "$work/bin"
printf '#!/bin/sh\necho "called: $0 $*" >>%s/calls\nexit 100\n' "$work" >"$work/bin/apt-get"
chmod +x "$work/bin/apt-get"
PATH=$work/bin:$PATH need_tools "$tool:$package"
label="no package manager call"
check test ! -e "$work/calls"

exit "$failed"
