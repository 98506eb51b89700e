#!/usr/bin/env bash
# A multipart upload from presigned part links (`presign-desk put SET FILE`, the parts in
# parallel over as many connections as help) beside one single PUT of the same file by curl
# (`curl -T`), to the playground, which checks every signature and builds the object from the
# parts. Near is plain loopback; far is the shaping relay (examples/relay.rs: 40 ms each way,
# 16 MiB/s a connection, 256 MiB/s in all). Each multipart run gets a fresh set from
# examples/presign. Prints the median time, the speed against curl, the connections used and
# the peak memory of each, and checks every upload arrived whole. Asserts nothing else.
#
#   scripts/parts-bench.sh                 (near 2048 MiB in 32 parts, far 256 MiB in 32 parts)
#   NEAR_MIB=512 NEAR_PARTS=8 FAR_MIB=128 FAR_PARTS=16 RUNS=5 scripts/parts-bench.sh
#   DELAY_MS=40 CONN_MIB=16 TOTAL_MIB=256 scripts/parts-bench.sh
#
# Needs curl, GNU time (/usr/bin/time) and md5sum; all traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
NEAR_MIB=${NEAR_MIB:-2048}
NEAR_PARTS=${NEAR_PARTS:-32}
FAR_MIB=${FAR_MIB:-256}
FAR_PARTS=${FAR_PARTS:-32}
DELAY_MS=${DELAY_MS:-40}
CONN_MIB=${CONN_MIB:-16}
TOTAL_MIB=${TOTAL_MIB:-256}
PG_PORT=${PG_PORT:-9720}
RELAY_PORT=${RELAY_PORT:-9721}
. scripts/common.sh
need_tools -s 2 curl:curl /usr/bin/time:time md5sum:coreutils

cargo build --release --quiet --bin presign-desk --example playground --example relay --example presign
release=$(target_dir)/release
BIN=$release/presign-desk
WORK=$(mktemp -d)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
. scripts/bench-common.sh

"$release"/examples/playground --port "$PG_PORT" --data "$WORK/pg" --expires 7200 >"$WORK/pg.txt" &
PIDS+=($!)
"$release"/examples/relay --port "$RELAY_PORT" --to "127.0.0.1:$PG_PORT" --delay-ms "$DELAY_MS" \
    --per-connection-mib "$CONN_MIB" --total-mib "$TOTAL_MIB" >/dev/null &
PIDS+=($!)
for _ in $(seq 50); do grep -q "^Upload (SigV4)" "$WORK/pg.txt" 2>/dev/null && break; sleep 0.2; done
# The playground's credentials, as examples/presign needs them.
keys=(--access-key AKIAPLAYGROUNDKEY000 --secret-key playground-secret-key-do-not-use-elsewhere)
presign() { # port key [--parts N]
    local port=$1 key=$2
    shift 2
    "$release"/examples/presign --endpoint "http://127.0.0.1:$port" --bucket playground --key "$key" \
        --expires 7200 "${keys[@]}" "$@"
}
# Records of uploads under way go to the run's own folder.
export XDG_DATA_HOME=$WORK/data

run() { # name command...: appends "seconds peak_kib" to $WORK/t.name
    local name=$1
    shift
    sync
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$WORK/json" 2>"$WORK/err" || { cat "$WORK/err" "$WORK/json" >&2; return 1; }
    cat "$WORK/time" >>"$WORK/t.$name"
}
median() { # name → "median_seconds peak_kib"
    sort -n "$WORK/t.$1" | awk '{a[NR]=$1; if ($2 > peak) peak = $2} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%s %s\n", m, peak}'
}
arrived() { # key
    [ "$(md5sum "$WORK/pg/playground/$1" | cut -d' ' -f1)" = "$SENT" ] || { echo "$1 did not arrive whole" >&2; exit 1; }
}

printf '%-5s %6s %6s %-34s %8s %8s %7s %6s %s\n' line MiB parts client seconds "MiB/s" "× curl" RSS conns
SUMMARY=()
for line in near far; do
    if [ "$line" = near ]; then mib=$NEAR_MIB parts=$NEAR_PARTS port=$PG_PORT; else mib=$FAR_MIB parts=$FAR_PARTS port=$RELAY_PORT; fi
    head -c $((mib * 1024 * 1024)) /dev/urandom >"$WORK/file"
    SENT=$(md5sum "$WORK/file" | cut -d' ' -f1)
    rm -f "$WORK"/t.* "$WORK/conns" "$WORK/joins"
    for round in $(seq "$RUNS"); do
        # curl sends "Expect: 100-continue" on large uploads and may wait for it; turned off so
        # both clients send the body at once.
        run curl curl -sS -f -o /dev/null -H "Expect:" -T "$WORK/file" "$(presign "$port" "single-$round.bin" --method put)"
        arrived "single-$round.bin"
        presign "$port" "parts-$round.bin" --parts "$parts" --server "127.0.0.1:$PG_PORT" >"$WORK/set.json"
        run parts "$BIN" put --json "@$WORK/set.json" "$WORK/file"
        arrived "parts-$round.bin"
        grep -q '"result": "verified"' "$WORK/json" || { echo "the upload's ETag was not checked" >&2; cat "$WORK/json" >&2; exit 1; }
        sed -n 's/^  "connections": \([0-9]*\).*/\1/p' "$WORK/json" >>"$WORK/conns"
        sed -n 's/^  "complete_secs": \([0-9.e-]*\).*/\1/p' "$WORK/json" >>"$WORK/joins"
        rm -f "$WORK/pg/playground/single-$round.bin" "$WORK/pg/playground/parts-$round.bin"
    done
    read -r cs ck < <(median curl)
    read -r ps pk < <(median parts)
    conns=$(paste -sd, "$WORK/conns")
    # The storage's own time to join the parts (the playground copies every byte again;
    # Amazon S3 joins them without copying): the parts' own time is the rest.
    join=$(sort -n "$WORK/joins" | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}')
    sent=$(awk -v t="$ps" -v j="$join" 'BEGIN { printf "%.2f", t - j }')
    printf '%-5s %6s %6s %-34s %8s %8s %7s %6s %s\n' "$line" "$mib" 1 "curl -T (one PUT)" "$cs" "$(mib_s "$mib" "$cs")" 1.00 "$(kib_mib "$ck")" 1
    printf '%-5s %6s %6s %-34s %8s %8s %7s %6s %s\n' "$line" "$mib" "$parts" "presign-desk put SET (verified)" "$ps" "$(mib_s "$mib" "$ps")" "$(ratio "$ps" "$cs")" "$(kib_mib "$pk")" "$conns"
    printf '%-5s %6s %6s %-34s %8s %8s %7s\n' "$line" "$mib" "$parts" "  of which the parts" "$sent" "$(mib_s "$mib" "$sent")" "$(ratio "$sent" "$cs")"
    printf '%-5s %6s %6s %-34s %8s\n' "$line" "$mib" "$parts" "  of which the storage joining them" "$join"
    SUMMARY+=("$line: multipart $(ratio "$ps" "$cs")× one PUT by curl (the parts alone $(ratio "$sent" "$cs")×; the storage took $join s to join them), peak $(kib_mib "$pk") MiB")
done
printf '%s\n' "${SUMMARY[@]}"
