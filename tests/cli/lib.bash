# tests/cli/lib.bash: helpers for the command-line tests, sourced by
# tests/cli/*.sh (this file is not a test: the runner runs only *.sh).
# Set CLI_PREFIX (test name prefix) and T (the scratch folder) first.

pass() { echo "PASS ${CLI_PREFIX}_$1"; }
fail() { echo "FAIL ${CLI_PREFIX}_$1: $2"; }

# expect NAME CODE PATTERN OUTFILE -- command...: the exit code, one stderr
# line matching PATTERN (for exit 1), and OUTFILE (if not -) and temporary
# files absent afterwards.
expect() {
    local name=$1 code=$2 pat=$3 out=$4
    shift 5
    rm -f "$out" 2>/dev/null
    "$@" >"$T/stdout" 2>"$T/stderr"
    local rc=$?
    local lines
    lines=$(grep -c '' "$T/stderr")
    if [ "$rc" -ne "$code" ]; then
        fail "$name" "exit $rc, expected $code: $(head -c 300 "$T/stderr")"
    elif ! grep -qE -- "$pat" "$T/stderr"; then
        fail "$name" "stderr does not match /$pat/: $(head -c 300 "$T/stderr")"
    elif [ "$code" -eq 1 ] && [ "$lines" -ne 1 ]; then
        fail "$name" "$lines lines on stderr, expected one"
    elif [ "$out" != - ] && [ -e "$out" ]; then
        fail "$name" "output file $out was left behind"
    elif ls "$T" | grep -q 'tmp'; then
        fail "$name" "a temporary file was left: $(ls "$T")"
    else
        pass "$name"
    fi
}

# same NAME WANT_FILE -- command: exit 0, stdout equal to WANT_FILE
same() {
    local name=$1 want=$2
    shift 3
    "$@" >"$T/stdout" 2>"$T/stderr"
    local rc=$?
    if [ $rc -ne 0 ]; then
        fail "$name" "exit $rc: $(head -c 300 "$T/stderr")"
    elif ! cmp -s "$T/stdout" "$want"; then
        fail "$name" "output differs: $(diff "$want" "$T/stdout" |
             head -6 | tr '\n' '|')"
    else
        pass "$name"
    fi
}
