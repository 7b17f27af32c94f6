#!/bin/bash
# tests/repo/standalone.sh: the repository stands alone. No tracked file
# names a path outside it (the reference folder beside the checkout, or
# an absolute path into the machine's work folder); every
# citation "docs/<file>.md §N" in the tracked files names a docs file that
# exists and a section N that is one of its headings ("## N." or "### N "),
# for each § number on the line after the citation; every relative link in
# README.md and docs/*.md names a file that exists. PASS/FAIL lines.
set -u
cd "$(dirname "$0")/../.."
fails=0
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }

# -- paths outside ----------------------------------------------------------
# The pattern is spelled so that this file does not match it: it checks
# itself too.
outside='\.\./shared|/wor''k/'
out=$(git grep -nE "$outside" -- . | head -5)
if [ -n "$out" ]; then
    fail standalone_paths "files name paths outside the repository:
$out"
else
    echo "PASS standalone_paths"
fi

# -- docs citations -----------------------------------------------------------
n=0 bad=0
while IFS= read -r hit; do
    file=${hit%%:*}
    text=${hit#*:}
    where=$file:${text%%:*}
    text=${text#*:}
    rest=docs/${text#*docs/}
    while [[ $rest =~ ^docs/([a-z0-9-]+)\.md(.*)$ ]]; do
        doc=docs/${BASH_REMATCH[1]}.md
        rest=${BASH_REMATCH[2]}
        # the § numbers up to the next docs/ citation on the line
        seg=${rest%%docs/*}
        if [[ $rest == *docs/* ]]; then rest=docs/${rest#*docs/}; else rest=; fi
        if [ ! -f "$doc" ]; then
            fail standalone_citations "$where cites $doc, which does not exist"
            bad=$((bad + 1))
            continue
        fi
        for sec in $(grep -oE '§[0-9]+(\.[0-9]+)*' <<<"$seg" | tr -d '§'); do
            n=$((n + 1))
            if ! grep -qE "^#+ ${sec//./\\.}[. ]" "$doc"; then
                fail standalone_citations "$where cites $doc §$sec, which is no heading there"
                bad=$((bad + 1))
            fi
        done
    done
done < <(git grep -n 'docs/[a-z0-9-]*\.md' -- . ':!docs' ':!tests/repo/standalone.sh')
[ "$bad" -eq 0 ] && echo "PASS standalone_citations ($n section citations)"

# -- links in the docs and the README ---------------------------------------
nl=0 badl=0
for md in README.md docs/*.md; do
    dir=$(dirname "$md")
    while IFS= read -r link; do
        link=${link%%#*}
        [ -z "$link" ] && continue
        nl=$((nl + 1))
        if [ ! -e "$dir/$link" ]; then
            fail standalone_links "$md links to $link, which does not exist"
            badl=$((badl + 1))
        fi
    done < <(grep -oE '\]\([^)#:]*(#[^)]*)?\)' "$md" | sed 's/^](//; s/)$//')
done
[ "$badl" -eq 0 ] && echo "PASS standalone_links ($nl links)"
[ "$fails" -eq 0 ]
