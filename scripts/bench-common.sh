# Shared by the benchmark scripts: sourced, never run. Needs RUNS and WORK set.

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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (a > 0) ? b / a : 0 }'; }
mib_s() { awk -v m="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0) ? m / s : 0 }'; }
kib_mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
