#!/usr/bin/env bash
# The window through the platform's accessibility bus, as Orca meets it on Linux: the release
# binary in a real window under Xvfb, AT-SPI (at-spi2-core) on a private session bus, the tree
# read and the window operated with python3-pyatspi (scripts/screen-reader.py). The headless
# tests read AccessKit's tree directly (tests/accessible.rs); this shows the tree arrives
# through the bus a screen reader really uses, and that its actions work.
#
#   scripts/screen-reader-check.sh
#
# Checks, each printed as PASS or FAIL (exit code 1 when one fails), in English and Japanese:
#   - the empty window, an upload ready with the details open, the queue of twelve links and a
#     folder of invoices, and the table of links alone: every control has a name and a role,
#     no two controls of one role share a name, and the controls a person needs are there;
#   - the queue's "Upload all" pressed through AT-SPI's action sends the files, and the
#     result is read back through the bus.
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRA_PACKAGES="dbus-daemon:dbus-daemon gdbus:libglib2.0-bin /usr/libexec/at-spi-bus-launcher:at-spi2-core"
# shellcheck source=scripts/gui-env.sh
source scripts/gui-env.sh
if ! /usr/bin/python3 -c 'import pyatspi' 2>/dev/null; then
    echo "installing python3-pyatspi"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        python3-pyatspi gir1.2-atspi-2.0 >/dev/null
fi

# A session bus of our own, with the accessibility bus on it and accessibility switched on
# (what a desktop does when a screen reader starts).
bus=$(dbus-daemon --session --fork --print-address=1 --print-pid=1 --nopidfile)
DBUS_SESSION_BUS_ADDRESS=$(printf '%s\n' "$bus" | head -1)
export DBUS_SESSION_BUS_ADDRESS
pids+=("$(printf '%s\n' "$bus" | tail -1)")
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do
    gdbus call --session --dest org.a11y.Bus --object-path /org/a11y/bus \
        --method org.freedesktop.DBus.Properties.Set org.a11y.Status IsEnabled '<true>' \
        >/dev/null 2>&1 && break
    sleep 0.1
done

files=$work/files
mkdir -p "$files/invoices/2026"
printf 'name,amount\nwidget,3\n' >"$files/report.csv"
for n in $(seq -w 1 12); do
    head -c $((20000 + 10#$n * 7919)) /dev/urandom >"$files/invoices/2026/invoice-$n.pdf"
done
for _ in $(seq 50); do grep -q "^Try it from a terminal" "$work/links.txt" && break; sleep 0.1; done
upload=$(link "Upload (SigV4)")
download=$(link "Download hello.txt (SigV4)")
list=$(grep -A12 "^A list of 12 upload links" "$work/links.txt" | tail -12 | tr -d ' ')
links_to_check=$(printf '%s\n%s\n' "$list" "$download")

failures=0
# screen NAME LANG SETTINGS-JSON 'READER-ARGS' GUI-ARGS...: opens the window with GUI-ARGS and
# reads it through AT-SPI with READER-ARGS (words split as the shell splits them, "_" for a
# space inside one).
screen() {
    local name=$1 lang=$2 settings=$3 reader=$4
    shift 4
    local config=$work/config-$name-$lang
    mkdir -p "$config/presigndesk"
    printf '%s\n' "$settings" >"$config/presigndesk/settings.json"
    XDG_CONFIG_HOME=$config "$bin" gui "$@" >"$work/$name-$lang.log" 2>&1 &
    local app=$!
    local args=()
    local word
    for word in $reader; do args+=("${word//_/ }"); done
    if /usr/bin/python3 scripts/screen-reader.py "$app" "${args[@]}" >"$work/$name-$lang.tree" 2>&1; then
        echo "PASS $name ($lang): $(grep -c ': ' "$work/$name-$lang.tree") nodes read through AT-SPI"
    else
        echo "FAIL $name ($lang):"
        grep -E '^(FAIL|the window)' "$work/$name-$lang.tree" | sed 's/^/    /'
        failures=$((failures + 1))
    fi
    if [ -n "${SHOW_TREE:-}" ]; then cat "$work/$name-$lang.tree"; fi
    kill "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
}

for lang in en ja; do
    settings="{\"language\": \"$lang\", \"show_details\": true}"
    if [ "$lang" = en ]; then
        empty="--expect Paste --expect Link --expect Choose_the_file_to_upload --expect Language"
        ready="--expect Upload_report.csv --expect File_path --expect Content-Type"
        queue="--expect Link_for_invoice-01.pdf --expect Upload_all_(12) --press Upload_all_(12) --wait 11_of_12_done"
        table="--expect Check_every_link --expect Copy_the_table_as_CSV"
    else
        empty="--expect 貼り付け --expect 署名付きURL --expect 言語"
        ready="--expect ファイルのパス --expect Content-Type"
        queue="--expect invoice-01.pdf_のリンク --expect すべてアップロード（12） --press すべてアップロード（12） --wait 12_個中_11_個完了"
        table="--expect すべてのリンクを確認 --expect 表を_CSV_でコピー"
    fi
    screen empty "$lang" "$settings" "$empty"
    screen upload-ready "$lang" "$settings" "$ready" "$upload" --file "$files/report.csv"
    screen queue "$lang" "$settings" "$queue" "$list" --file "$files/invoices"
    screen links-table "$lang" "$settings" "$table" "$links_to_check"
done

if [ "$failures" -gt 0 ]; then
    echo "$failures screens failed"
    exit 1
fi
echo "every screen read through AT-SPI"
