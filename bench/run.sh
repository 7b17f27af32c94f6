#!/bin/sh
# bench/run.sh BINDIR: run every bench/*.sh except this one, in name order,
# with BINDIR as $1 and VECTORS in the environment (default tests/vectors,
# relative to the source tree), and print their tables. Benchmarks are
# informational: the exit status is non-zero only if a script failed, which
# they do only when a tool they need is missing.
set -u
LC_ALL=C; export LC_ALL

[ $# -eq 1 ] || { echo "usage: bench/run.sh BINDIR" >&2; exit 1; }
case $1 in /*) BINDIR=$1 ;; *) BINDIR=$(pwd)/$1 ;; esac
case ${VECTORS:-} in
    "") VECTORS=$(cd "$(dirname "$0")/.." && pwd)/tests/vectors ;;
    /*) ;;
    *) VECTORS=$(pwd)/$VECTORS ;;
esac
export VECTORS
HERE=$(cd "$(dirname "$0")" && pwd)

status=0
for script in "$HERE"/*.sh; do
    name=${script##*/}
    [ "$name" = run.sh ] && continue
    echo "=== bench/$name"
    if ! bash "$script" "$BINDIR"; then
        echo "bench/run.sh: bench/$name failed" >&2
        status=1
    fi
    echo
done
exit $status
