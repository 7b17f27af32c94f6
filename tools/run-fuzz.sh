#!/bin/bash
# tools/run-fuzz.sh: runs every libFuzzer program of a build for SECONDS each,
# seeded from the vectors; crashes land in build/fuzz/crashes/<target>/.
# Usage: tools/run-fuzz.sh build/fuzz SECONDS
set -u
dir=$1 secs=$2
vec=${VECTORS:-tests/vectors}
status=0
for f in "$dir"/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    t=$(basename "$f")
    corpus="$dir/corpus/$t" crashes="$dir/crashes/$t"
    mkdir -p "$corpus" "$crashes"
    touch "$corpus/.started"
    seeds=$(grep -m1 -E '^(// )?# seeds: ' "tests/fuzz/$t.c" | sed 's/.*# seeds: //')
    for s in $seeds; do cp -n $vec/$s "$corpus"/ 2>/dev/null; done
    echo "fuzz: $t for ${secs}s"
    "$f" -max_total_time="$secs" -artifact_prefix="$crashes/" \
        -print_final_stats=1 "$corpus" 2>&1 | grep -E '^(stat::number_of_executed_units|stat::peak_rss|==.*ERROR|SUMMARY)' 
    # Report only what this run found; older artifacts may be fixed bugs.
    new=$(find "$crashes" -type f -newer "$corpus/.started" | head -n 5)
    if [ -n "$new" ]; then
        echo "fuzz: $t found crashes:" $new
        status=1
    fi
done
exit $status
