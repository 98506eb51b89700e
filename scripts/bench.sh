#!/usr/bin/env bash
# Throughput and peak memory of `presign-desk put/get` beside `curl -T` / `curl -o` on the same
# presigned URLs, against the playground (a real S3 server on 127.0.0.1) and against a loopback
# sink that discards uploads and serves a fixed body. Prints medians; asserts nothing.
#
#   scripts/bench.sh [SIZE_MIB ...]       (default: 10 1024)
#   RUNS=5 scripts/bench.sh 10 100        (runs per case, default 3)
#
# Needs curl and GNU time (/usr/bin/time); all traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=("${@:-10 1024}")
[ $# -eq 0 ] && SIZES=(10 1024)
RUNS=${RUNS:-3}
PG_PORT=${PG_PORT:-9700}
SINK_PORT=${SINK_PORT:-9701}

for tool in curl /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install curl time)"; exit 2; }
done

cargo build --release --quiet --bin presign-desk --example playground --example sink
BIN=target/release/presign-desk
WORK=$(mktemp -d)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

target/release/examples/playground --port "$PG_PORT" --data "$WORK/pg" --expires 7200 >"$WORK/pg.txt" &
PIDS+=($!)
for _ in $(seq 50); do grep -q "^Download what you uploaded" "$WORK/pg.txt" 2>/dev/null && break; sleep 0.2; done
PG_PUT=$(grep -A1 "^Upload (SigV4), any Content-Type" "$WORK/pg.txt" | tail -1 | tr -d ' ')
PG_GET=$(grep -A1 "^Download what you uploaded" "$WORK/pg.txt" | tail -1 | tr -d ' ')
# The sink ignores signatures; the link has the same shape as a real one.
SINK_URL="http://127.0.0.1:$SINK_PORT/bench/object?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=$(date -u +%Y%m%dT%H%M%SZ)&X-Amz-Expires=7200&X-Amz-SignedHeaders=host&X-Amz-Signature=0"

# Runs a command RUNS times; prints "median_seconds peak_kib".
measure() {
    local times=() peak=0
    for _ in $(seq "$RUNS"); do
        rm -f "$WORK/out"
        /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; return 1; }
        read -r secs kib <"$WORK/time"
        times+=("$secs")
        [ "$kib" -gt "$peak" ] && peak=$kib
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v peak="$peak" '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%s %s\n", m, peak}'
}

row() { # server op size_mib verify pd_secs pd_kib curl_secs curl_kib
    awk -v s="$1" -v o="$2" -v m="$3" -v v="$4" -v ps="$5" -v pk="$6" -v cs="$7" -v ck="$8" 'BEGIN {
        pt = (ps > 0) ? m / ps : 0; ct = (cs > 0) ? m / cs : 0;
        printf "%-10s %-4s %7s %-6s %10.1f %10.1f %6.2f %9.1f %9.1f\n", s, o, m, v, pt, ct, (ct > 0) ? pt / ct : 0, pk / 1024, ck / 1024 }'
}

printf '%-10s %-4s %7s %-6s %10s %10s %6s %9s %9s\n' server op MiB verify "pd MiB/s" "curl MiB/s" ratio "pd RSS" "curl RSS"
for mib in "${SIZES[@]}"; do
    head -c $((mib * 1024 * 1024)) /dev/urandom >"$WORK/file"
    target/release/examples/sink --port "$SINK_PORT" --size $((mib * 1024 * 1024)) >/dev/null &
    SINK_PID=$!
    PIDS+=("$SINK_PID")
    sleep 0.3
    for server in playground sink; do
        if [ "$server" = playground ]; then put=$PG_PUT; get=$PG_GET; else put=$SINK_URL; get=$SINK_URL; fi
        # curl sends "Expect: 100-continue" on large uploads and may wait for it; turned off so
        # both clients send the body at once.
        read -r cs ck < <(measure curl -sS -f -H "Expect:" -T "$WORK/file" "$put")
        for verify in on off; do
            flag=(); [ "$verify" = off ] && flag=(--no-verify)
            read -r ps pk < <(measure "$BIN" put "$put" "$WORK/file" --no-content-type "${flag[@]}")
            row "$server" PUT "$mib" "$verify" "$ps" "$pk" "$cs" "$ck"
        done
        read -r cs ck < <(measure curl -sS -f -o "$WORK/out" "$get")
        for verify in on off; do
            flag=(); [ "$verify" = off ] && flag=(--no-verify)
            read -r ps pk < <(measure "$BIN" get "$get" -o "$WORK/out" --overwrite "${flag[@]}")
            row "$server" GET "$mib" "$verify" "$ps" "$pk" "$cs" "$ck"
        done
    done
    kill "$SINK_PID" 2>/dev/null || true
    wait "$SINK_PID" 2>/dev/null || true
done
