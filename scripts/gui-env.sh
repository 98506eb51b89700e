# Sourced by scripts/gui-bench.sh and scripts/screenshots.sh: what both need to run the
# release window as a person does. Installs Xvfb and xdotool (and any Debian packages named in
# EXTRA_PACKAGES as "command:package") when missing, builds the release binary and the
# playground, starts Xvfb and the playground on 127.0.0.1, and cleans up on exit.
#
# Sets: bin (the release binary), work (a temporary folder), DISPLAY, pids (to kill on exit),
# and the function `link TITLE`, the playground's link printed under TITLE.

# shellcheck source=scripts/common.sh
. scripts/common.sh
# shellcheck disable=SC2086 # EXTRA_PACKAGES is a list of words
need_tools Xvfb:xvfb xdotool:xdotool ${EXTRA_PACKAGES:-}

cargo build --release --quiet --bin presign-desk --example playground
release=$(target_dir)/release
bin=$release/presign-desk
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
export DISPLAY=$display
sleep 1

port=$((20000 + RANDOM % 20000))
"$release/examples/playground" --port "$port" --data "$work/data" --expires 7200 >"$work/links.txt" &
pids+=($!)
for _ in $(seq 50); do grep -q "^Upload (SigV4)" "$work/links.txt" 2>/dev/null && break; sleep 0.1; done
link() { grep -A1 "^$1" "$work/links.txt" | tail -1 | tr -d ' '; }
