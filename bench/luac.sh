#!/bin/sh
# bench/luac.sh BINDIR: luac.cross benchmarks, printed as two tables.
#  1. compile throughput of `luac.cross -f` (KB of Lua source per second, wall
#     clock, best of $RUNS runs) on examples/ and on a ~250 KB generated project
#     (bench/gen-project.lua); a project that does not fit one 256 KiB image is
#     split into two images and both compiles are timed together;
#  2. image sizes: every lfs51/*.img of $VECTORS/MANIFEST.tsv rebuilt with the
#     same options (and --target 5.1-int for the integer variant) next to
#     NodeMCU's size, the ratio, and whether the content is identical.
# Informational: fails only when a needed tool is missing.
set -u
LC_ALL=C; export LC_ALL

die() { echo "bench/luac.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: bench/luac.sh BINDIR"
case $1 in /*) BINDIR=$1 ;; *) BINDIR=$(pwd)/$1 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd) || die "cannot find the source tree"
VECTORS=${VECTORS:-$ROOT/tests/vectors}
case $VECTORS in /*) ;; *) VECTORS=$(pwd)/$VECTORS ;; esac
RUNS=${RUNS:-5}
LUAC=$BINDIR/luac.cross
WORK=$ROOT/build/bench
LIMIT=262144

[ -x "$LUAC" ] || die "$LUAC not found (run make all first)"
command -v lua5.1 >/dev/null 2>&1 || die "lua5.1 not found (make deps)"
case $(date +%s%N) in *[!0-9]*) die "date +%s%N does not give nanoseconds" ;; esac
rm -rf "$WORK"
mkdir -p "$WORK/project" || die "cannot create $WORK"

now_ns() { date +%s%N; }
src_bytes() { cat "$@" | wc -c | tr -d ' '; }

# compile DIR OUT FILES...: one -f compile run inside DIR; prints the image size
compile() {
    dir=$1; out=$2; shift 2
    (cd "$dir" && "$LUAC" -f -o "$out" "$@") >"$WORK/compile.log" 2>&1 || return 1
    sed -n 's/^Image size: *//p' "$WORK/compile.log" | head -n 1
}

# time_best DIR GROUPS: best wall time in microseconds of compiling every group
# (a group is a space-separated file list; groups are separated by '/'), over
# RUNS runs. Only the luac.cross processes are inside the timed intervals.
time_best() (
    cd "$1" || exit 1
    groups=$2; best=""; i=0
    while [ $i -lt "$RUNS" ]; do
        total=0; n=0
        old_ifs=$IFS; IFS=/
        for g in $groups; do
            IFS=$old_ifs
            n=$((n + 1))
            t0=$(now_ns)
            # shellcheck disable=SC2086
            "$LUAC" -f -o "$WORK/t$n.img" $g >/dev/null 2>&1 || exit 1
            t1=$(now_ns)
            total=$((total + t1 - t0))
        done
        IFS=$old_ifs
        total=$((total / 1000))
        if [ -z "$best" ] || [ $total -lt "$best" ]; then best=$total; fi
        i=$((i + 1))
    done
    echo "$best"
)

# throughput_row NAME DIR FILES: fit the files into one image, or two
throughput_row() {
    name=$1; dir=$2; shift 2
    files="$*"
    nfiles=$#
    # shellcheck disable=SC2086
    bytes=$(cd "$dir" && src_bytes $files)
    # shellcheck disable=SC2086
    size=$(compile "$dir" "$WORK/fit.img" $files)
    if [ -n "$size" ] && [ "$size" -le $LIMIT ]; then
        groups=$files; images=1; sizes=$size
    else
        half=$(( (nfiles + 1) / 2 ))
        # shellcheck disable=SC2086
        a=$(echo $files | tr ' ' '\n' | head -n $half | tr '\n' ' ')
        # shellcheck disable=SC2086
        b=$(echo $files | tr ' ' '\n' | tail -n +$((half + 1)) | tr '\n' ' ')
        # shellcheck disable=SC2086
        sa=$(compile "$dir" "$WORK/fit.img" $a)
        # shellcheck disable=SC2086
        sb=$(compile "$dir" "$WORK/fit.img" $b)
        if [ -z "$sa" ] || [ -z "$sb" ]; then
            printf '%-20s %7s %9s %7s %16s %9s %9s\n' "$name" "$nfiles" "$bytes" "-" \
                "compile failed" "-" "-"
            sed 's/^/    /' "$WORK/compile.log" | head -n 3
            return 0
        fi
        groups="$a/$b"; images=2; sizes="$sa+$sb"
    fi
    ms_us=$(time_best "$dir" "$groups") || {
        printf '%-20s %7s %9s %7s %16s %9s %9s\n' "$name" "$nfiles" "$bytes" "$images" \
            "$sizes" "failed" "-"
        return 0
    }
    awk -v n="$name" -v f="$nfiles" -v b="$bytes" -v i="$images" -v s="$sizes" -v us="$ms_us" \
        'BEGIN { if (us < 1) us = 1
                 printf "%-20s %7d %9d %7d %16s %9.1f %9.0f\n", n, f, b, i, s, us / 1000,
                        (b / 1024) / (us / 1e6) }'
}

echo "luac.cross -f compile throughput (wall clock, best of $RUNS)"
printf '%-20s %7s %9s %7s %16s %9s %9s\n' "input" "modules" "src bytes" "images" "image bytes" "ms" "KB/s"
EXFILES=$(cd "$ROOT/examples" && for f in ./*.lua; do
    f=${f#./}; [ "$f" = selftest.lua ] || printf '%s ' "$f"; done)
# shellcheck disable=SC2086
throughput_row "examples/" "$ROOT/examples" $EXFILES
lua5.1 "$ROOT/bench/gen-project.lua" "$WORK/project" >"$WORK/project.txt" 2>/dev/null \
    || die "bench/gen-project.lua failed"
PFILES=$(cd "$WORK/project" && for f in ./*.lua; do printf '%s ' "${f#./}"; done)
# shellcheck disable=SC2086
throughput_row "generated project" "$WORK/project" $PFILES

echo
echo "LFS image sizes against NodeMCU's (\$VECTORS/MANIFEST.tsv, lfs51/*.img)"
MANIFEST=$VECTORS/MANIFEST.tsv
SRC=$VECTORS/src/lua51
if [ ! -r "$MANIFEST" ] || [ ! -d "$SRC" ]; then
    echo "  (no vectors at $VECTORS: table skipped)"
    exit 0
fi
HAVE_SHA=0
command -v sha256sum >/dev/null 2>&1 && command -v gzip >/dev/null 2>&1 && HAVE_SHA=1
printf '%-26s %10s %10s %7s %s\n' "image" "ours" "nodemcu" "ratio" " content"
TAB=$(printf '\t')
# empty fields become "-": read would merge adjacent tabs (tab is IFS white space)
awk -F '\t' 'BEGIN { OFS = "\t" }
    $1 ~ /^lfs51\/.*\.img$/ { for (i = 1; i <= NF; i++) if ($i == "") $i = "-"; print }' \
    "$MANIFEST" >"$WORK/rows.tsv"
tot_ours=0; tot_ref=0; n_same=0; n_rows=0
while IFS=$TAB read -r output variant options inputs sha payload_sha size; do
    img=${output#lfs51/}
    n_rows=$((n_rows + 1))
    set --
    [ "$variant" = nodemcu-5.1-integer ] && set -- --target 5.1-int
    set -- "$@" --timestamp 1700000000
    next_is_out=0
    for opt in $options; do
        if [ $next_is_out -eq 1 ]; then set -- "$@" "$WORK/$img"; next_is_out=0; continue; fi
        [ "$opt" = -o ] && next_is_out=1
        set -- "$@" "$opt"
    done
    # shellcheck disable=SC2086
    set -- "$@" $inputs
    rm -f "$WORK/$img"
    if ! (cd "$SRC" && "$LUAC" "$@") >"$WORK/vec.log" 2>&1 || [ ! -s "$WORK/$img" ]; then
        printf '%-26s %10s %10s %7s  %s\n' "$img" "FAIL" "$size" "-" \
            "$(head -n 1 "$WORK/vec.log")"
        tot_ref=$((tot_ref + size))
        continue
    fi
    ours=$(wc -c <"$WORK/$img" | tr -d ' ')
    same="-"
    if [ $HAVE_SHA -eq 1 ]; then
        if [ "$payload_sha" != "-" ]; then
            got=$(gzip -dc "$WORK/$img" 2>/dev/null | sha256sum | cut -d ' ' -f 1)
            [ "$got" = "$payload_sha" ] && same="payload identical" || same="payload differs"
            got=$(sha256sum <"$WORK/$img" | cut -d ' ' -f 1)
            [ "$got" = "$sha" ] && same="identical"
        else
            got=$(sha256sum <"$WORK/$img" | cut -d ' ' -f 1)
            [ "$got" = "$sha" ] && same="identical" || same="differs"
        fi
        case $same in identical|"payload identical") n_same=$((n_same + 1)) ;; esac
    fi
    tot_ours=$((tot_ours + ours)); tot_ref=$((tot_ref + size))
    awk -v i="$img" -v o="$ours" -v r="$size" -v s="$same" \
        'BEGIN { printf "%-26s %10d %10d %7.3f  %s\n", i, o, r, o / r, s }'
done <"$WORK/rows.tsv"
awk -v o="$tot_ours" -v r="$tot_ref" -v n="$n_rows" -v s="$n_same" -v h="$HAVE_SHA" \
    'BEGIN { printf "%-26s %10d %10d %7.3f  %s\n", "total (" n " images)", o, r,
             (r > 0 ? o / r : 0), (h ? s "/" n " same content" : "") }'
exit 0
