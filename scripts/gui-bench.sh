#!/usr/bin/env bash
# What the window costs, measured the way a person runs it: the release binary in a real window
# under Xvfb (Mesa's software GL, as virtual desktops and remote sessions draw), against the
# playground on 127.0.0.1.
#
#   scripts/gui-bench.sh            # RUNS=3 SIZE_MIB=1024 by default
#
# Prints, each as the median of RUNS:
#   - the first frame: milliseconds from process start to the end of the first drawn frame;
#   - idle CPU: ticks (10 ms) the whole process used over 10 s with nobody touching it, with no
#     link, and with a link shown (its countdown running);
#   - a SIZE_MIB upload from the window (from the press of Enter to the result, as the window
#     reports it) against `presign-desk put` on the same link and machine (the whole process,
#     start-up included), and the CPU each used.
# Targets (issue 8): idle with a link <= 2 ticks per 10 s; upload within 1.15x of the CLI;
# first frame under 500 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SIZE_MIB=${SIZE_MIB:-1024}

# shellcheck source=scripts/gui-env.sh
source scripts/gui-env.sh
# The window keeps its settings here, not in the user's own config.
export XDG_CONFIG_HOME=$work/config
upload_link=$(link "Upload (SigV4)")

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Starts the window with arguments "$@"; sets $app and $window.
start_window() {
    PRESIGNDESK_REPORT_TIMING=1 "$bin" gui --lang en "$@" >"$work/app.log" 2>&1 &
    app=$!
    window=$(xdotool search --sync --pid "$app" --name PresignDesk | head -1)
}
stop_window() {
    kill "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
}

first_frames=()
idle_empty=()
idle_link=()
for _ in $(seq "$RUNS"); do
    start_window
    sleep 3
    first_frames+=("$(sed -n 's/first frame drawn \([0-9]*\) ms.*/\1/p' "$work/app.log")")
    before=$(ticks "$app"); sleep 10; after=$(ticks "$app")
    idle_empty+=($((after - before)))
    stop_window

    start_window "$upload_link"
    sleep 3
    before=$(ticks "$app"); sleep 10; after=$(ticks "$app")
    idle_link+=($((after - before)))
    stop_window
done

file=$work/upload.bin
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom >"$file"
object=$work/data/playground/uploads/my-file
now_ms() { date +%s%3N; }

cli_ms=()
cli_cpu=()
window_ms=()
window_cpu=()
for _ in $(seq "$RUNS"); do
    rm -f "$object"
    start=$(now_ms)
    /usr/bin/time -f '%U %S' -o "$work/cli-time" "$bin" put "$upload_link" "$file" --lang en >/dev/null 2>&1
    cli_ms+=($(($(now_ms) - start)))
    cli_cpu+=($(awk '{printf "%d", ($1 + $2) * 100}' "$work/cli-time"))

    rm -f "$object"
    start_window "$upload_link" --file "$file"
    sleep 2
    xdotool windowfocus --sync "$window"
    before=$(ticks "$app")
    xdotool key --window "$window" Return
    until grep -q "transfer finished" "$work/app.log"; do sleep 0.2; done
    window_cpu+=($(($(ticks "$app") - before)))
    window_ms+=($(sed -n 's/transfer finished in \([0-9]*\) ms/\1/p' "$work/app.log"))
    stop_window
done

fmt() { printf '%s\n' "$@" | median; }
cli=$(fmt "${cli_ms[@]}")
win=$(fmt "${window_ms[@]}")
printf '%-44s %s\n' "measure (median of $RUNS)" "value"
printf '%-44s %s ms   (runs: %s)\n' "first frame after start" "$(fmt "${first_frames[@]}")" "${first_frames[*]}"
printf '%-44s %s ticks (runs: %s)\n' "idle 10 s, no link" "$(fmt "${idle_empty[@]}")" "${idle_empty[*]}"
printf '%-44s %s ticks (runs: %s)\n' "idle 10 s, link shown" "$(fmt "${idle_link[@]}")" "${idle_link[*]}"
printf '%-44s %s ms   (runs: %s)\n' "$SIZE_MIB MiB upload, presign-desk put" "$cli" "${cli_ms[*]}"
printf '%-44s %s ms   (runs: %s)\n' "$SIZE_MIB MiB upload, window" "$win" "${window_ms[*]}"
printf '%-44s %s ticks (runs: %s)\n' "CPU of the CLI upload (whole process)" "$(fmt "${cli_cpu[@]}")" "${cli_cpu[*]}"
printf '%-44s %s ticks (runs: %s)\n' "CPU of the window upload (whole process)" "$(fmt "${window_cpu[@]}")" "${window_cpu[*]}"
awk -v w="$win" -v c="$cli" 'BEGIN {printf "%-44s %.2f\n", "window / CLI time", w / c}'
