#!/usr/bin/env bash
# Throughput and peak memory of `presign-desk put/get` beside `curl -T` / `curl -o` on the same
# presigned URLs, against the playground (a real S3 server on 127.0.0.1) and against a loopback
# sink that discards uploads and serves a fixed body. Prints medians; asserts nothing.
#
# Then:
# - downloads that adapt: a 256 MiB verified GET from the playground and from s3rver (npm; it
#   serves from one thread), each near (plain loopback) and far (the shaping relay,
#   examples/relay.rs: 40 ms each way, 16 MiB/s per connection, 256 MiB/s in all), by
#   `presign-desk get` (adaptive, at most 16), `presign-desk get --connections 1`,
#   `aria2c -x 8 -s 8`, `aria2c -x 16 -s 16` and `curl -o`, with the connections chosen, why, and the hash tail (the
#   time from the last byte to the verified file) of each run; then the largest size's download
#   from the playground, adaptive against one connection, with its peak memory;
# - hashing: a verified upload to the sink (bound by MD5) against `openssl md5` of the file.
#
#   scripts/bench.sh [SIZE_MIB ...]       (default: 10 1024)
#   RUNS=5 scripts/bench.sh 10 100        (runs per case, default 3)
#   ONLY=adapt scripts/bench.sh           (the adaptive-download tables only)
#   ADAPT_MIB=256 DELAY_MS=40 CONN_MIB=16 TOTAL_MIB=256 scripts/bench.sh
#
# s3rver is installed with npm into ~/.cache/presign-desk-bench (S3RVER_DIR) the first time.
#
# Needs curl, GNU time (/usr/bin/time), openssl, aria2c (installed when missing and possible)
# and npm; all traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=("${@:-10 1024}")
[ $# -eq 0 ] && SIZES=(10 1024)
RUNS=${RUNS:-3}
PG_PORT=${PG_PORT:-9700}
SINK_PORT=${SINK_PORT:-9701}
RELAY_PORT=${RELAY_PORT:-9702}
DELAY_MS=${DELAY_MS:-40}
CONN_MIB=${CONN_MIB:-16}
TOTAL_MIB=${TOTAL_MIB:-256}
S3RVER_PORT=${S3RVER_PORT:-9703}
S3RVER_RELAY_PORT=${S3RVER_RELAY_PORT:-9704}
ADAPT_MIB=${ADAPT_MIB:-256}
ONLY=${ONLY:-}

. scripts/common.sh
need_tools -s 2 curl:curl /usr/bin/time:time openssl:openssl aria2c:aria2

cargo build --release --quiet --bin presign-desk --example playground --example sink --example relay --example presign
release=$(target_dir)/release
BIN=$release/presign-desk
WORK=$(mktemp -d)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

"$release"/examples/playground --port "$PG_PORT" --data "$WORK/pg" --expires 7200 --via "$RELAY_PORT" >"$WORK/pg.txt" &
PIDS+=($!)
"$release"/examples/relay --port "$RELAY_PORT" --to "127.0.0.1:$PG_PORT" --delay-ms "$DELAY_MS" \
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

[ "$ONLY" = adapt ] && SIZES_MAIN=() || SIZES_MAIN=("${SIZES[@]}")
[ "$ONLY" = adapt ] || printf '%-10s %-4s %7s %-6s %10s %10s %6s %9s %9s\n' server op MiB verify "pd MiB/s" "curl MiB/s" ratio "pd RSS" "curl RSS"
for mib in "${SIZES_MAIN[@]}"; do
    head -c $((mib * 1024 * 1024)) /dev/urandom >"$WORK/file"
    "$release"/examples/sink --port "$SINK_PORT" --size $((mib * 1024 * 1024)) >/dev/null &
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


# The adaptive-download table: each client runs once per round, RUNS rounds in turn, after
# one warm-up download and a sync before each run, so that a slow moment of the machine or the
# server (a write-back, a collection) falls on all of them alike.
once() { # name command...
    local name=$1
    shift
    rm -f "$WORK/out"
    sync
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$WORK/json" 2>"$WORK/err" || { cat "$WORK/err" "$WORK/json" >&2; return 1; }
    cat "$WORK/time" >>"$WORK/c.$name"
    if grep -q '"connections"' "$WORK/json"; then
        printf '%s %s %s\n' \
            "$(sed -n 's/^  "connections": \([0-9]*\).*/\1/p' "$WORK/json")" \
            "$(sed -n 's/^  "connections_reason": "\([a-z-]*\)".*/\1/p' "$WORK/json" | grep . || echo -)" \
            "$(sed -n 's/^  "hash_tail_secs": \([0-9.e-]*\).*/\1/p' "$WORK/json" | awk '{printf "%.3f", $1}' | grep . || echo -)" \
            >>"$WORK/i.$name"
    fi
}
rounds() { # url
    rm -f "$WORK"/c.* "$WORK"/i.*
    curl -sS -f -o /dev/null "$1"
    for _ in $(seq "$RUNS"); do
        once adaptive "$BIN" get --json "$1" -o "$WORK/out" --overwrite
        once one "$BIN" get --json "$1" -o "$WORK/out" --overwrite --connections 1
        once aria2c aria2c -q -x 8 -s 8 --allow-overwrite=true --auto-file-renaming=false -d "$WORK" -o out "$1"
        once aria16 aria2c -q -x 16 -s 16 --allow-overwrite=true --auto-file-renaming=false -d "$WORK" -o out "$1"
        once curl curl -sS -f -o "$WORK/out" "$1"
    done
}
# "median_secs peak_kib" of a client's runs.
median_of() {
    sort -n "$WORK/c.$1" | awk '{a[NR]=$1; if ($2 > peak) peak = $2} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%s %s\n", m, peak}'
}
# "conns why tails" of a client's runs, comma-joined per run.
info_of() {
    [ -f "$WORK/i.$1" ] || { echo "- - -"; return; }
    awk '{c = c (NR > 1 ? "," : "") $1; w = w (NR > 1 ? "," : "") $2; t = t (NR > 1 ? "," : "") $3} END {print c, w, t}' "$WORK/i.$1"
}

# s3rver: an S3-compatible server from npm that checks signatures and serves from one thread.
S3RVER_DIR=${S3RVER_DIR:-$HOME/.cache/presign-desk-bench/s3rver}
if [ ! -x "$S3RVER_DIR/node_modules/.bin/s3rver" ]; then
    need_tools -s 2 npm:npm
    mkdir -p "$S3RVER_DIR"
    (cd "$S3RVER_DIR" && npm install --silent --no-audit --no-fund s3rver@3 >/dev/null)
fi
mkdir -p "$WORK/s3rver"
"$S3RVER_DIR/node_modules/.bin/s3rver" -d "$WORK/s3rver" -a 127.0.0.1 -p "$S3RVER_PORT" \
    --configure-bucket bench --silent >/dev/null 2>&1 &
PIDS+=($!)
"$release"/examples/relay --port "$S3RVER_RELAY_PORT" --to "127.0.0.1:$S3RVER_PORT" --delay-ms "$DELAY_MS" \
    --per-connection-mib "$CONN_MIB" --total-mib "$TOTAL_MIB" >/dev/null &
PIDS+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$S3RVER_PORT/" && break; sleep 0.2; done
sign() { "$release"/examples/presign --endpoint "http://127.0.0.1:$1" --bucket bench --key adapt.bin --method "$2" --expires 7200; }

echo
echo "Downloads that adapt: ${ADAPT_MIB} MiB GET, verified, median of $RUNS; near is plain loopback, far is the relay"
echo "(${DELAY_MS} ms each way, ${CONN_MIB} MiB/s per connection, ${TOTAL_MIB} MiB/s in all). conns, why and hash tail are per run."
head -c $((ADAPT_MIB * 1024 * 1024)) /dev/urandom >"$WORK/file"
"$BIN" put "$PG_PUT" "$WORK/file" --no-content-type >/dev/null 2>&1
"$BIN" put "$(sign "$S3RVER_PORT" put)" "$WORK/file" --no-content-type >/dev/null 2>&1
printf '%-10s %-4s %-24s %8s %8s %8s %8s %6s  %-10s %-28s %s\n' \
    server line client seconds "MiB/s" "× curl" "× 1 conn" "RSS" conns why "hash tail s"
SUMMARY=()
for server in playground s3rver; do
    for line in near far; do
        case "$server/$line" in
            playground/near) url=$PG_GET ;;
            playground/far) url=$VIA_GET ;;
            s3rver/near) url=$(sign "$S3RVER_PORT" get) ;;
            s3rver/far) url=$(sign "$S3RVER_RELAY_PORT" get) ;;
        esac
        rounds "$url"
        read -r ds dk < <(median_of adaptive)
        read -r dc dr dt < <(info_of adaptive)
        read -r os ok < <(median_of one)
        read -r oc _ ot < <(info_of one)
        read -r as ak < <(median_of aria2c)
        read -r bs bk < <(median_of aria16)
        read -r cs ck < <(median_of curl)
        cell() { printf '%-10s %-4s %-24s %8s %8s %8s %8s %6s  %-10s %-28s %s\n' "$server" "$line" "$1" "$2" \
            "$(mib_s "$ADAPT_MIB" "$2")" "$(ratio "$2" "$cs")" "$(ratio "$2" "$os")" "$(kib_mib "$3")" "${4:-}" "${5:-}" "${6:-}"; }
        cell "presign-desk (adaptive)" "$ds" "$dk" "$dc" "$dr" "$dt"
        cell "presign-desk -c 1" "$os" "$ok" "$oc" "" "$ot"
        cell "aria2c -x 8 -s 8" "$as" "$ak"
        cell "aria2c -x 16 -s 16" "$bs" "$bk"
        cell "curl -o" "$cs" "$ck"
        SUMMARY+=("$server $line: adaptive $(ratio "$ds" "$os")× one connection, $(ratio "$ds" "$as")× aria2c -x8, $(ratio "$ds" "$bs")× aria2c -x16, $(ratio "$ds" "$cs")× curl")
    done
done
printf '%s\n' "${SUMMARY[@]}"

last=${SIZES[${#SIZES[@]}-1]}
if [ "$last" -gt "$ADAPT_MIB" ]; then
    echo
    echo "At ${last} MiB from the playground, near, verified:"
    head -c $((last * 1024 * 1024)) /dev/urandom >"$WORK/file"
    "$BIN" put "$PG_PUT" "$WORK/file" --no-content-type >/dev/null 2>&1
    rm -f "$WORK"/c.* "$WORK"/i.*
    curl -sS -f -o /dev/null "$PG_GET"
    for _ in $(seq "$RUNS"); do
        once adaptive "$BIN" get --json "$PG_GET" -o "$WORK/out" --overwrite
        once one "$BIN" get --json "$PG_GET" -o "$WORK/out" --overwrite --connections 1
    done
    read -r ds dk < <(median_of adaptive)
    read -r dc dr dt < <(info_of adaptive)
    read -r os ok < <(median_of one)
    read -r _ _ ot < <(info_of one)
    printf 'adaptive %s s (%s MiB peak, conns %s, %s, hash tail %s s) · 1 connection %s s (%s MiB peak, hash tail %s s) · adaptive against 1: %s×\n' \
        "$ds" "$(kib_mib "$dk")" "$dc" "$dr" "$dt" "$os" "$(kib_mib "$ok")" "$ot" "$(ratio "$ds" "$os")"
fi

[ "$ONLY" = adapt ] && exit 0
echo
echo "Hashing: verified upload of ${last} MiB to the sink (bound by MD5) against openssl md5, median of $RUNS"
"$release"/examples/sink --port "$SINK_PORT" --size 1 >/dev/null &
SINK_PID=$!
PIDS+=("$SINK_PID")
sleep 0.3
read -r os ok < <(measure openssl md5 "$WORK/file")
read -r vs vk < <(measure "$BIN" put "$SINK_URL" "$WORK/file" --no-content-type)
read -r ns nk < <(measure "$BIN" put "$SINK_URL" "$WORK/file" --no-content-type --no-verify)
printf 'openssl md5 %s s (%s MiB/s) · verified upload %s s (%s MiB/s) · unverified upload %s s · speed against openssl: %s×\n' \
    "$os" "$(mib_s "$last" "$os")" "$vs" "$(mib_s "$last" "$vs")" "$ns" "$(ratio "$vs" "$os")"
