#!/usr/bin/env bash
# The queue's tables saved through the system's real save dialog: the release binary in a real
# window under Xvfb, its save dialog (zenity's GTK chooser, what rfd opens where no desktop
# portal runs) driven with xdotool, and the same with no dialog to be had.
#
#   scripts/save-dialog-check.sh
#
# Checks, each printed as PASS or FAIL (exit code 1 when one fails):
#   - "Save the table as CSV or JSON…" opens the save dialog; a name ending in .json saves the
#     table of links as JSON (one row a link), one ending in .csv as CSV, and neither holds a
#     signature;
#   - with no dialog to be had, the table is saved as CSV in the folder downloads go to, under
#     a new name each time (nothing is replaced), and the window says where.
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRA_PACKAGES="zenity:zenity"
# shellcheck source=scripts/gui-env.sh
source scripts/gui-env.sh
for _ in $(seq 50); do grep -q "^Try it from a terminal" "$work/links.txt" && break; sleep 0.1; done
list=$(grep -A12 "^A list of 12 upload links" "$work/links.txt" | tail -12 | tr -d ' ')
signature=$(printf '%s\n' "$list" | head -1 | sed 's/.*X-Amz-Signature=//')
saved=$work/saved
mkdir -p "$saved" "$work/home/Downloads"

failures=0
check() {
    if [ "$2" = ok ]; then echo "PASS  $1"; else echo "FAIL  $1"; failures=$((failures + 1)); fi
}
centre() {
    grep "^control \"$1\" at" "$log" | tail -1 |
        awk '{print int($(NF-4) + $(NF-1) / 2), int($(NF-3) + $NF / 2)}'
}
click() {
    local at
    at=$(centre "$1")
    [ -n "$at" ] || { echo "no control named $1"; return 1; }
    # shellcheck disable=SC2086
    xdotool mousemove --window "$window" $at click 1
}
# Starts the window with the list of links; PATH as given ($1).
start() {
    log=$work/app-$RANDOM.log
    HOME=$work/home XDG_CONFIG_HOME=$work/config PATH=$1 PRESIGNDESK_REPORT_TIMING=1 \
        "$bin" gui --lang en "$list" >"$log" 2>&1 &
    app=$!
    pids+=("$app")
    window=$(xdotool search --sync --pid "$app" --name PresignDesk | head -1)
    xdotool windowsize --sync "$window" 1200 800
    sleep 1.5
}
stop() {
    kill "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
}
# Saves the table through the dialog as PATH: the dialog's name field takes the whole path.
save_through_dialog() {
    click "Save the table as CSV or JSON…"
    local dialog=""
    for _ in $(seq 100); do
        dialog=$(xdotool search --onlyvisible --class zenity 2>/dev/null | head -1 || true)
        [ -n "$dialog" ] && break
        sleep 0.1
    done
    [ -n "$dialog" ] || { echo "no save dialog opened"; return 1; }
    sleep 1
    xdotool windowfocus --sync "$dialog"
    xdotool key --window "$dialog" ctrl+a
    xdotool type --window "$dialog" --delay 20 "$1"
    xdotool key --window "$dialog" Return
    for _ in $(seq 50); do [ -s "$1" ] && return 0; sleep 0.1; done
    return 1
}

start "$PATH"
if save_through_dialog "$saved/links.json" &&
    python3 -c 'import json,sys; rows=json.load(open(sys.argv[1])); assert len(rows) == 12, len(rows)' \
        "$saved/links.json" && ! grep -q "$signature" "$saved/links.json"; then
    check "the dialog saves the table as JSON when the name ends in .json (12 rows, no signature)" ok
else
    check "the dialog saves the table as JSON when the name ends in .json (12 rows, no signature)" fail
fi
sleep 1
if save_through_dialog "$saved/links.csv" && [ "$(wc -l <"$saved/links.csv")" -eq 13 ] &&
    head -1 "$saved/links.csv" | grep -q ',' && ! grep -q "$signature" "$saved/links.csv"; then
    check "the dialog saves the table as CSV when the name ends in .csv (a header, 12 rows)" ok
else
    check "the dialog saves the table as CSV when the name ends in .csv (a header, 12 rows)" fail
fi
grep -q "notice: Saved to $saved/links.csv" "$log" && ok=ok || ok=fail
check "the window says where it saved" "$ok"
stop

# No dialog to be had (no portal, no zenity on PATH): saved in Downloads, replacing nothing.
start /nonexistent
click "Save the table as CSV or JSON…"
sleep 2
click "Save the table as CSV or JSON…"
sleep 2
# Where downloads go: the Downloads folder, or the home folder where there is none.
said=$(sed -n 's/^notice: No save dialog could open here, so it was saved as CSV to //p' "$log")
first=$(printf '%s\n' "$said" | head -1)
second=$(printf '%s\n' "$said" | sed -n 2p)
case $first in "$work/home/"*) where=ok ;; *) where=fail ;; esac
if [ "$where" = ok ] && [ -s "$first" ] && [ -s "$second" ] && [ "$first" != "$second" ] &&
    cmp -s "$first" "$second" && [ "${second%(1).csv}" != "$second" ]; then
    check "with no dialog, saved where downloads go under a new name each time, and said" ok
else
    check "with no dialog, saved where downloads go under a new name each time, and said" fail
    grep notice "$log" || true
fi
stop

if [ "$failures" -gt 0 ]; then
    echo "$failures checks failed"
    exit 1
fi
echo "all save checks passed"
