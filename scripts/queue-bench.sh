#!/usr/bin/env bash
# The queue's figures, from the release binary against the playground on 127.0.0.1:
#
#   1. 1,000 links inspected: `presign-desk inspect @links.txt` (the table, the ones that cannot
#      work first), and the window opened with the same list, to its first frame with the
#      table drawn.
#   2. 1,000 small files uploaded through 1,000 links: `presign-desk put @links.txt FOLDER`
#      (3 at once, each verified) beside the same work done by curl, one `curl -T` a file.
#   3. The window with the 1,000 rows finished, left alone: the frames it drew and its CPU time
#      over 10 s, twice, and which threads used that time.
#
#   COUNT=1000 (links and files), SIZE=4096 (bytes a file).
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRA_PACKAGES="curl:curl"
# shellcheck source=scripts/gui-env.sh
source scripts/gui-env.sh
count=${COUNT:-1000}
size=${SIZE:-4096}
cargo build --release --quiet --example presign
presign() {
    "$release/examples/presign" --endpoint "http://127.0.0.1:$port" --bucket playground \
        --access-key AKIAPLAYGROUNDKEY000 --secret-key playground-secret-key-do-not-use-elsewhere \
        --count "$count" "$@"
}
seconds() { date +%s.%N; }
took() { echo "$2 - $1" | bc -l | xargs printf '%.3f'; }

files=$work/files
mkdir -p "$files"
for n in $(seq -f '%04g' 1 "$count"); do head -c "$size" /dev/urandom >"$files/file-$n.bin"; done
presign --key 'bench/file-{n}.bin' --method put >"$work/put.txt"
presign --key 'curl/file-{n}.bin' --method put >"$work/curl.txt"
presign --key 'window/file-{n}.bin' --method put >"$work/window.txt"

echo "== $count links inspected"
start=$(seconds)
"$bin" inspect "@$work/put.txt" >"$work/inspect.out" || true
end=$(seconds)
echo "presign-desk inspect @links.txt: $(took "$start" "$end") s, $(wc -l <"$work/inspect.out") lines"

echo "== $count files of $size bytes uploaded"
start=$(seconds)
"$bin" put "@$work/put.txt" "$files" >"$work/put.out" 2>&1
end=$(seconds)
ours=$(took "$start" "$end")
echo "presign-desk put @links.txt FOLDER (3 at once, verified): $ours s; $(tail -1 "$work/put.out")"
start=$(seconds)
n=0
while read -r url; do
    n=$((n + 1))
    curl -sS -o /dev/null -T "$files/file-$(printf '%04d' "$n").bin" "$url"
done <"$work/curl.txt"
end=$(seconds)
theirs=$(took "$start" "$end")
echo "curl -T, one a file: $theirs s"
echo "ratio (curl time / PresignDesk time): $(echo "$theirs / $ours" | bc -l | xargs printf '%.2f')x"

echo "== the window with $count links"
log=$work/window.log
config=$work/config
mkdir -p "$config/presigndesk"
echo '{"language": "en"}' >"$config/presigndesk/settings.json"
XDG_CONFIG_HOME=$config PRESIGNDESK_REPORT_TIMING=1 "$bin" gui "@$work/window.txt" \
    --file "$files" >"$log" 2>&1 &
app=$!
pids+=("$app")
window=$(xdotool search --sync --pid "$app" --name PresignDesk | head -1)
for _ in $(seq 100); do grep -q "first frame" "$log" && break; sleep 0.1; done
grep "first frame" "$log" | sed "s/^/window: /" || { echo "the window drew no frame:"; head -5 "$log"; }
sleep 2
xdotool windowfocus --sync "$window"
xdotool key --window "$window" Return
start=$(seconds)
stored=$work/data/playground/window
for _ in $(seq 1200); do
    [ "$(find "$stored" -type f 2>/dev/null | wc -l)" -ge "$count" ] && break
    sleep 0.1
done
end=$(seconds)
echo "window: $(find "$stored" -type f | wc -l) of $count uploaded in $(took "$start" "$end") s"
sleep 20
ticks() { awk '{print $14 + $15}' "/proc/$app/stat"; }
frames() { grep -c '^frame [0-9]* drawn' "$log" || true; }
# Which threads used the CPU: name and ticks of each, from /proc/PID/task.
threads() {
    for task in /proc/"$app"/task/*; do
        printf '%s:%s %s\n' "${task##*/}" "$(tr ' ' _ <"$task/comm")" "$(awk '{print $14 + $15}' "$task/stat")"
    done | sort
}
# Two windows of 10 s each: the first holds the tail of the run (idle connections closing,
# worker threads ending), the second the window alone. A frame drawn is said on stderr, so the
# repaints are counted, not guessed from the CPU.
for window_of in first second; do
    before=$(ticks)
    frames_before=$(frames)
    threads >"$work/threads-before"
    sleep 10
    after=$(ticks)
    frames_after=$(frames)
    threads >"$work/threads-after"
    echo "window idle with $count finished rows, $window_of 10 s:" \
        "$((frames_after - frames_before)) frames drawn, $((after - before)) ticks of CPU"
    busy=$(join -a 2 "$work/threads-before" "$work/threads-after" 2>/dev/null |
        awk 'NF == 3 && $3 > $2 {printf " %s +%d", $1, $3 - $2} NF == 2 && $2 > 0 {printf " %s (new) %d", $1, $2}')
    if [ -n "$busy" ]; then echo "  threads that used the CPU:$busy"; fi
    # What the threads alive at the end used is less than the process's when a thread ended.
    alive=$(join -a 2 "$work/threads-before" "$work/threads-after" |
        awk '{d += (NF == 3) ? $3 - $2 : $2} END {print d + 0}')
    ended=$((after - before - alive))
    if [ "$ended" -gt 0 ]; then echo "  by threads that ended in these 10 s: $ended ticks"; fi
done
