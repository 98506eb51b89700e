#!/usr/bin/env bash
# Throughput and peak memory of `presign-desk put/get` beside `curl -T` / `curl -o` on the same
# presigned URLs, against the playground (a real S3 server on 127.0.0.1) and against a loopback
# sink that discards uploads and serves a fixed body. Prints medians; asserts nothing.
#
# Then three more tables:
# - a long-distance line: a 256 MiB GET through the shaping relay (examples/relay.rs: 40 ms
#   each way, 16 MiB/s per connection, 256 MiB/s in all) by `presign-desk get` (8 ranges at
#   once), `curl -o` and `aria2c -x 8 -s 8`;
# - ranges on plain loopback: `presign-desk get` with 8 connections against 1;
# - hashing: a verified upload to the sink (bound by MD5) against `openssl md5` of the file.
#
#   scripts/bench.sh [SIZE_MIB ...]       (default: 10 1024)
#   RUNS=5 scripts/bench.sh 10 100        (runs per case, default 3)
#   RELAY_MIB=256 DELAY_MS=40 CONN_MIB=16 TOTAL_MIB=256 scripts/bench.sh
#
# Needs curl, GNU time (/usr/bin/time), openssl and aria2c (installed when missing and
# possible); all traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=("${@:-10 1024}")
[ $# -eq 0 ] && SIZES=(10 1024)
RUNS=${RUNS:-3}
PG_PORT=${PG_PORT:-9700}
SINK_PORT=${SINK_PORT:-9701}
RELAY_PORT=${RELAY_PORT:-9702}
RELAY_MIB=${RELAY_MIB:-256}
DELAY_MS=${DELAY_MS:-40}
CONN_MIB=${CONN_MIB:-16}
TOTAL_MIB=${TOTAL_MIB:-256}

if ! command -v aria2c >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y -qq aria2 >/dev/null
    elif command -v sudo >/dev/null; then sudo apt-get install -y -qq aria2 >/dev/null
    fi
fi
for tool in curl /usr/bin/time openssl aria2c; do
    command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install curl time openssl aria2)"; exit 2; }
done

cargo build --release --quiet --bin presign-desk --example playground --example sink --example relay
BIN=target/release/presign-desk
WORK=$(mktemp -d)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

target/release/examples/playground --port "$PG_PORT" --data "$WORK/pg" --expires 7200 --via "$RELAY_PORT" >"$WORK/pg.txt" &
PIDS+=($!)
target/release/examples/relay --port "$RELAY_PORT" --to "127.0.0.1:$PG_PORT" --delay-ms "$DELAY_MS" \
    --per-connection-mib "$CONN_MIB" --total-mib "$TOTAL_MIB" >/dev/null &
PIDS+=($!)
for _ in $(seq 50); do grep -q "^Download what you uploaded" "$WORK/pg.txt" 2>/dev/null && break; sleep 0.2; done
PG_PUT=$(grep -A1 "^Upload (SigV4), any Content-Type" "$WORK/pg.txt" | tail -1 | tr -d ' ')
PG_GET=$(grep -A1 "^Download what you uploaded (SigV4)" "$WORK/pg.txt" | tail -1 | tr -d ' ')
VIA_GET=$(grep -A1 "^Download what you uploaded, through the relay" "$WORK/pg.txt" | tail -1 | tr -d ' ')
# The sink ignores signatures; the link has the same shape as a real one.
SINK_URL="http://127.0.0.1:$SINK_PORT/bench/object?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=$(date -u +%Y%m%dT%H%M%SZ)&X-Amz-Expires=7200&X-Amz-SignedHeaders=host&X-Amz-Signature=0"

. scripts/bench-common.sh

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


echo
echo "Long-distance line: ${RELAY_MIB} MiB GET through the relay (${DELAY_MS} ms each way, ${CONN_MIB} MiB/s per connection, ${TOTAL_MIB} MiB/s in all), median of $RUNS"
head -c $((RELAY_MIB * 1024 * 1024)) /dev/urandom >"$WORK/file"
"$BIN" put "$PG_PUT" "$WORK/file" --no-content-type >/dev/null 2>&1
read -r ps pk < <(measure "$BIN" get "$VIA_GET" -o "$WORK/out" --overwrite)
read -r pn pnk < <(measure "$BIN" get "$VIA_GET" -o "$WORK/out" --overwrite --no-verify)
read -r cs ck < <(measure curl -sS -f -o "$WORK/out" "$VIA_GET")
read -r as ak < <(measure aria2c -q -x 8 -s 8 --allow-overwrite=true --auto-file-renaming=false -d "$WORK" -o out "$VIA_GET")
printf '%-34s %9s %9s %9s %9s\n' client seconds "MiB/s" "× curl" "peak RSS"
printf '%-34s %9s %9s %9s %9s\n' "presign-desk get (8 conn, verify)" "$ps" "$(mib_s "$RELAY_MIB" "$ps")" "$(ratio "$ps" "$cs")" "$(kib_mib "$pk")"
printf '%-34s %9s %9s %9s %9s\n' "presign-desk get (8 conn, no MD5)" "$pn" "$(mib_s "$RELAY_MIB" "$pn")" "$(ratio "$pn" "$cs")" "$(kib_mib "$pnk")"
printf '%-34s %9s %9s %9s %9s\n' "curl -o" "$cs" "$(mib_s "$RELAY_MIB" "$cs")" "1.00" "$(kib_mib "$ck")"
printf '%-34s %9s %9s %9s %9s\n' "aria2c -x 8 -s 8" "$as" "$(mib_s "$RELAY_MIB" "$as")" "$(ratio "$as" "$cs")" "$(kib_mib "$ak")"
echo "presign-desk against aria2c: $(ratio "$ps" "$as")× verified, $(ratio "$pn" "$as")× without MD5"

echo
last=${SIZES[${#SIZES[@]}-1]}
echo "Ranges on plain loopback: ${last} MiB GET from the playground, 8 connections against 1, median of $RUNS"
head -c $((last * 1024 * 1024)) /dev/urandom >"$WORK/file"
"$BIN" put "$PG_PUT" "$WORK/file" --no-content-type >/dev/null 2>&1
read -r p8 k8 < <(measure "$BIN" get "$PG_GET" -o "$WORK/out" --overwrite)
read -r p1 k1 < <(measure "$BIN" get "$PG_GET" -o "$WORK/out" --overwrite --connections 1)
printf '8 connections %s s (%s MiB peak) · 1 connection %s s (%s MiB peak) · 8 against 1: %s×\n' \
    "$p8" "$(kib_mib "$k8")" "$p1" "$(kib_mib "$k1")" "$(ratio "$p8" "$p1")"

echo
echo "Hashing: verified upload of ${last} MiB to the sink (bound by MD5) against openssl md5, median of $RUNS"
target/release/examples/sink --port "$SINK_PORT" --size 1 >/dev/null &
SINK_PID=$!
PIDS+=("$SINK_PID")
sleep 0.3
read -r os ok < <(measure openssl md5 "$WORK/file")
read -r vs vk < <(measure "$BIN" put "$SINK_URL" "$WORK/file" --no-content-type)
read -r ns nk < <(measure "$BIN" put "$SINK_URL" "$WORK/file" --no-content-type --no-verify)
printf 'openssl md5 %s s (%s MiB/s) · verified upload %s s (%s MiB/s) · unverified upload %s s · speed against openssl: %s×\n' \
    "$os" "$(mib_s "$last" "$os")" "$vs" "$(mib_s "$last" "$vs")" "$ns" "$(ratio "$vs" "$os")"
