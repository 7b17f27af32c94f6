#!/bin/bash
# bench/vm.sh BINDIR: the Lua 5.1 VM against Debian's lua5.1 on the classic
# programs of bench/vm/*.lua. Each program is compiled into its own LFS image
# (luac.cross -f) and run as `nodemcu-sim --lfs IMG --peak-heap -e
# "LFS.NAME()"` on the simulator's default heap (45056 bytes, the device's;
# BENCH_HEAP=BYTES passes --heap, up to 81920) and as `lua5.1 NAME.lua`.
# Both must print the same checksum line. The table gives wall-clock seconds
# (best of $RUNS runs, 3 by default, including process start and, for ours,
# mapping the image), the ratio ours/lua5.1 and our peak heap, then the
# geometric mean of the ratios. A program whose outputs differ, or that
# fails, gets a FAIL row and stays out of the mean.
# Informational: fails only when a needed tool is missing.
set -u
LC_ALL=C; export LC_ALL

die() { echo "bench/vm.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: bench/vm.sh BINDIR"
case $1 in /*) BINDIR=$1 ;; *) BINDIR=$(pwd)/$1 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd) || die "cannot find the source tree"
SRC=$ROOT/bench/vm
RUNS=${RUNS:-3}
LUAC=$BINDIR/luac.cross
SIM=$BINDIR/nodemcu-sim
WORK=$ROOT/build/bench-vm
HEAPOPT=()
[ -n "${BENCH_HEAP:-}" ] && HEAPOPT=(--heap "$BENCH_HEAP")

[ -x "$LUAC" ] || die "$LUAC not found (run make all first)"
[ -x "$SIM" ] || die "$SIM not found (run make all first)"
command -v lua5.1 >/dev/null 2>&1 || die "lua5.1 not found (make deps)"
case $(date +%s%N) in *[!0-9]*) die "date +%s%N does not give nanoseconds" ;; esac
rm -rf "$WORK"
mkdir -p "$WORK" || die "cannot create $WORK"

# best_us OUT ERR CMD...: run CMD $RUNS times inside $SRC; the best wall time
# in microseconds on stdout; the last run's output in OUT and ERR. Prints
# nothing and returns 1 if a run fails.
best_us() {
    local out=$1 err=$2 best="" i t0 t1
    shift 2
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s%N)
        (cd "$SRC" && "$@") >"$out" 2>"$err" || return 1
        t1=$(date +%s%N)
        t1=$(((t1 - t0) / 1000))
        if [ -z "$best" ] || [ "$t1" -lt "$best" ]; then best=$t1; fi
    done
    echo "$best"
}

heapdesc=${BENCH_HEAP:-45056}
echo "Lua 5.1 VM against lua5.1 (wall clock, best of $RUNS; heap $heapdesc bytes)"
printf '%-14s %9s %9s %8s %11s\n' "program" "lua5.1 s" "ours s" "ratio" "peak heap"
logsum=0; nmean=0; nfail=0
for f in "$SRC"/*.lua; do
    n=$(basename "$f" .lua)
    if ! (cd "$SRC" && "$LUAC" -f -o "$WORK/$n.img" "$n.lua") >/dev/null 2>"$WORK/err"; then
        printf '%-14s %9s %9s %8s %11s  %s\n' "$n" "-" "FAIL" "-" "-" \
            "luac.cross: $(head -n 1 "$WORK/err")"
        nfail=$((nfail + 1))
        continue
    fi
    if ! tl=$(best_us "$WORK/$n.lua51" "$WORK/err" lua5.1 "$n.lua"); then
        printf '%-14s %9s %9s %8s %11s  %s\n' "$n" "FAIL" "-" "-" "-" \
            "lua5.1: $(head -n 1 "$WORK/err")"
        nfail=$((nfail + 1))
        continue
    fi
    if ! to=$(best_us "$WORK/$n.ours" "$WORK/$n.err" "$SIM" --lfs "$WORK/$n.img" \
            "${HEAPOPT[@]}" --peak-heap -e "LFS.$n()"); then
        awk -v n="$n" -v l="$tl" -v e="$(grep -v '^peak heap' "$WORK/$n.err" | head -n 1)" \
            'BEGIN { printf "%-14s %9.3f %9s %8s %11s  %s\n", n, l / 1e6, "FAIL", "-", "-", e }'
        nfail=$((nfail + 1))
        continue
    fi
    peak=$(sed -n 's/^peak heap: \([0-9]*\) bytes$/\1/p' "$WORK/$n.err" | tail -n 1)
    [ -n "$peak" ] || peak="?"
    if ! cmp -s "$WORK/$n.lua51" "$WORK/$n.ours"; then
        awk -v n="$n" -v l="$tl" -v o="$to" -v p="$peak" \
            -v g="$(head -c 60 "$WORK/$n.ours" | head -n 1)" \
            'BEGIN { printf "%-14s %9.3f %9.3f %8s %11s  FAIL: output differs: %s\n",
                     n, l / 1e6, o / 1e6, "-", p, g }'
        nfail=$((nfail + 1))
        continue
    fi
    row=$(awk -v n="$n" -v l="$tl" -v o="$to" -v p="$peak" \
        'BEGIN { if (l < 1) l = 1
                 r = o / l
                 printf "%-14s %9.3f %9.3f %8.2f %11s|%.12f\n", n, l / 1e6, o / 1e6, r, p, log(r) }')
    echo "${row%|*}"
    logsum=$(awk -v s="$logsum" -v x="${row#*|}" 'BEGIN { printf "%.12f", s + x }')
    nmean=$((nmean + 1))
done
if [ $nmean -gt 0 ]; then
    awk -v s="$logsum" -v k="$nmean" -v f="$nfail" \
        'BEGIN { printf "%-14s %9s %9s %8.2f %11s  (%d programs%s)\n", "geometric mean", "", "",
                 exp(s / k), "", k, (f ? ", " f " failed" : "") }'
else
    echo "geometric mean: no program ran ($nfail failed)"
fi
exit 0
