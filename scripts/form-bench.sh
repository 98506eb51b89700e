#!/usr/bin/env bash
# An upload through a presigned POST form: `presign-desk put FORM FILE` beside the same request
# sent by curl (`-F`, the command `presign-desk put --curl` prints), to the playground, which
# checks the policy and its signature. Prints the median time and the peak memory of each, and
# checks each upload arrived whole. Asserts nothing else.
#
#   scripts/form-bench.sh [SIZE_MIB]     (default: 1024)
#   RUNS=5 scripts/form-bench.sh 256     (runs per case, default 3)
#
# Needs curl and GNU time (/usr/bin/time); all traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

MIB=${1:-1024}
RUNS=${RUNS:-3}
PG_PORT=${PG_PORT:-9710}
. scripts/common.sh
need_tools -s 2 curl:curl /usr/bin/time:time md5sum:coreutils

cargo build --release --quiet --bin presign-desk --example playground
release=$(target_dir)/release
BIN=$release/presign-desk
WORK=$(mktemp -d)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
. scripts/bench-common.sh

"$release"/examples/playground --port "$PG_PORT" --data "$WORK/pg" --expires 3600 >"$WORK/pg.txt" &
PIDS+=($!)
for _ in $(seq 50); do grep -q "^Upload form" "$WORK/pg.txt" 2>/dev/null && break; sleep 0.2; done
grep -A1 "^Upload form" "$WORK/pg.txt" | tail -1 | sed 's/^  //' >"$WORK/form.json"

head -c $((MIB * 1024 * 1024)) /dev/urandom >"$WORK/bench.bin"
SENT=$(md5sum "$WORK/bench.bin" | cut -d' ' -f1)
STORED="$WORK/pg/playground/uploads/bench.bin"
# The exact request as curl; no "Expect: 100-continue", so both clients send the body at once.
printf '%s -sS -f -o /dev/null -H Expect:\n' "$("$BIN" put --curl "@$WORK/form.json" "$WORK/bench.bin" 2>/dev/null)" >"$WORK/curl.sh"

arrived() { # label
    [ "$(md5sum "$STORED" | cut -d' ' -f1)" = "$SENT" ] || { echo "$1: the stored file differs" >&2; exit 1; }
    rm -f "$STORED"
}

# The server's own work (s3s holds a form's file in memory before storing it) varies from run to
# run: the clients take turns, so each meets the same conditions.
declare -A TIMES PEAK
for _ in $(seq "$RUNS"); do
    for client in verified unverified curl; do
        case $client in
            verified) cmd=("$BIN" put "@$WORK/form.json" "$WORK/bench.bin") ;;
            unverified) cmd=("$BIN" put --no-verify "@$WORK/form.json" "$WORK/bench.bin") ;;
            curl) cmd=(sh "$WORK/curl.sh") ;;
        esac
        /usr/bin/time -f "%e %M" -o "$WORK/time" "${cmd[@]}" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
        arrived "$client"
        read -r secs kib <"$WORK/time"
        TIMES[$client]="${TIMES[$client]:-} $secs"
        [ "$kib" -gt "${PEAK[$client]:-0}" ] && PEAK[$client]=$kib
    done
done
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m}'; }
ps=$(median "${TIMES[verified]}"); pk=${PEAK[verified]}
ns=$(median "${TIMES[unverified]}"); nk=${PEAK[unverified]}
cs=$(median "${TIMES[curl]}"); ck=${PEAK[curl]}

echo "Upload form: ${MIB} MiB POST to the playground (multipart/form-data, policy checked), median of $RUNS"
printf '%-36s %9s %9s %9s %9s\n' client seconds "MiB/s" "× curl" "peak RSS"
printf '%-36s %9s %9s %9s %9s\n' "presign-desk put FORM (verified)" "$ps" "$(mib_s "$MIB" "$ps")" "$(ratio "$ps" "$cs")" "$(kib_mib "$pk")"
printf '%-36s %9s %9s %9s %9s\n' "presign-desk put FORM --no-verify" "$ns" "$(mib_s "$MIB" "$ns")" "$(ratio "$ns" "$cs")" "$(kib_mib "$nk")"
printf '%-36s %9s %9s %9s %9s\n' "curl -F (put --curl's command)" "$cs" "$(mib_s "$MIB" "$cs")" "1.00" "$(kib_mib "$ck")"
