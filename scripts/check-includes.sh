#!/usr/bin/env bash
# The one-way order of libstrikemap's modules (docs/architecture.md):
#   core ← geo ← claims ← check ← output, map ← report
# A file in src/lib/M/ may include its own module's headers and those of
# modules below M, never one above or beside it (output and map are
# siblings). src/cli/ includes the public headers (strikemap/...) only.
# Every back edge fails, except the ones listed, each with its reason, in
# scripts/include-order.allow (a list that only ever shrinks).
# Usage: scripts/check-includes.sh   (from anywhere; exit 1 on a back edge)
set -u
cd "$(dirname "$0")/.."
declare -A rank=([core]=0 [geo]=1 [claims]=2 [check]=3 [output]=4 [map]=4 [report]=5)
allow=scripts/include-order.allow
bad=0
while IFS= read -r f; do
    mod=${f#src/lib/}
    mod=${mod%%/*}
    if [[ -z ${rank[$mod]+x} ]]; then
        echo "$f: not in a known module folder (src/lib/{${!rank[*]}})" >&2
        bad=1
        continue
    fi
    while IFS= read -r inc; do
        dep=${inc%%/*}
        [[ $dep == "$inc" || $dep == strikemap ]] && continue
        if [[ -z ${rank[$dep]+x} ]]; then
            echo "$f: includes \"$inc\", not in a module folder" >&2
            bad=1
        elif [[ $dep != "$mod" && ${rank[$dep]} -ge ${rank[$mod]} ]]; then
            if grep -qx "$f -> $dep" <(sed 's/ *#.*//' "$allow" 2>/dev/null); then
                continue
            fi
            echo "$f: includes \"$inc\": $mod may not depend on $dep (back edge)" >&2
            bad=1
        fi
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done < <(git ls-files 'src/lib/*.c' 'src/lib/*.h' | grep '^src/lib/[^/]*/')
# files straight in src/lib (other than the linker map) belong to no module
if git ls-files 'src/lib/*' | grep -v '^src/lib/[^/]*/' | grep -v 'strikemap.map$' | grep -q .; then
    git ls-files 'src/lib/*' | grep -v '^src/lib/[^/]*/' | grep -v 'strikemap.map$' |
        sed 's/$/: in no module folder/' >&2
    bad=1
fi
while IFS= read -r f; do
    if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"(core|geo|claims|check|output|map|report)/' "$f" >&2; then
        echo "$f: the CLI uses the public headers only" >&2
        bad=1
    fi
done < <(git ls-files 'src/cli/*.c' 'src/cli/*.h')
# the allow list may not keep an edge that is gone
while IFS= read -r line; do
    f=${line%% -> *}
    dep=${line##* -> }
    if ! grep -qE "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"$dep/" "$f" 2>/dev/null; then
        echo "$allow: \"$line\" no longer exists; remove it" >&2
        bad=1
    fi
done < <(sed 's/ *#.*//' "$allow" 2>/dev/null | grep .)
[[ $bad == 0 ]] && echo "include order: one way, $(git ls-files 'src/lib/*/*' | wc -l) files"
exit $bad
