#!/usr/bin/env bash
# Issue 11's limits: no file in src/lib over 700 lines and no function over
# 120 lines, unless a comment says why: "size: <reason>" in the file's
# opening comment (for a file) or in the comment just above the function.
# Reads clang-formatted C (a function opens with "{" alone at column 0
# and closes with "}" at column 0).
# Usage: scripts/check-sizes.sh [MAX_FILE_LINES] [MAX_FUNCTION_LINES]
set -u
cd "$(dirname "$0")/.."
max_file=${1:-700}
max_fn=${2:-120}
bad=0
while IFS= read -r f; do
    n=$(wc -l <"$f")
    if [ "$n" -gt "$max_file" ] && ! head -40 "$f" | grep -q 'size:'; then
        echo "$f: $n lines (over $max_file; say why with \"size:\" in its opening comment, or split it)"
        bad=1
    fi
    awk -v f="$f" -v max="$max_fn" '
        /^\{$/ { start = NR; name = prev; why = (last_comment >= NR - 4) ; next }
        /^\}/ && start {
            len = NR - start + 1
            if (len > max && !why)
                printf "%s:%d: %s: %d lines (over %d; say why with \"size:\" in the comment above it, or split it)\n", f, start, name, len, max
            start = 0
        }
        /size:/ { last_comment = NR }
        { if ($0 !~ /^\{$/) prev = $0 }
    ' "$f"
done < <(git ls-files 'src/lib/*.c') | tee /tmp/check-sizes.$$
[ -s /tmp/check-sizes.$$ ] && bad=1
rm -f /tmp/check-sizes.$$
[ "$bad" = 0 ] && echo "sizes: every file <= $max_file lines, every function <= $max_fn (or a reason given)"
exit $bad
