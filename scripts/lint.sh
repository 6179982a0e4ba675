#!/usr/bin/env bash
# Static checks with the committed .clang-format and .clang-tidy:
#   scripts/lint.sh [--format-only|--tidy-only] [BUILD_DIR]
# clang-format --dry-run -Werror over the C sources and headers of src/,
# include/ and tests/; clang-tidy over src/ with BUILD_DIR's
# compile_commands.json (configured here if missing; default build-lint).
# Exits non-zero when either finds anything; prints a count per file.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=all
case ${1:-} in --format-only) mode=format; shift ;; --tidy-only) mode=tidy; shift ;; esac
dir=${1:-build-lint}
scripts/deps.sh --lint >/dev/null
rc=0
if [ "$mode" != tidy ]; then
    mapfile -t files < <(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'tests/*.c' 'tests/*.h')
    bad=0
    lines=0
    for f in "${files[@]}"; do
        [ -f "$f" ] || continue
        n=$(clang-format --style=file "$f" | diff "$f" - | grep -c '^[<>]')
        if [ "$n" -gt 0 ]; then
            echo "clang-format: $f: $n lines differ" >&2
            bad=$((bad + 1))
            lines=$((lines + n))
        fi
    done
    clang-format --style=file --dry-run -Werror "${files[@]}" >/dev/null 2>&1 || rc=1
    echo "clang-format: $bad of ${#files[@]} files would change ($lines diff lines)" >&2
    [ "$bad" -eq 0 ] || rc=1
fi
if [ "$mode" != format ]; then
    if [ ! -f "$dir/compile_commands.json" ]; then
        cmake -S . -B "$dir" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DSM_BUILD_TESTS=OFF >/dev/null || exit 1
    fi
    mapfile -t srcs < <(git ls-files 'src/*.c')
    out=$(mktemp)
    # one process per file, -j2 as the machine has; warnings to $out
    printf '%s\n' "${srcs[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$dir" --quiet \
        >"$out" 2>/dev/null
    n=$(grep -c ': warning: \|: error: ' "$out")
    grep -E ': (warning|error): ' "$out" | sed 's/.*\[\(.*\)\]$/\1/' | sort | uniq -c | sort -rn >&2
    grep -E ': (warning|error): ' "$out" >&2
    echo "clang-tidy: $n findings in ${#srcs[@]} files" >&2
    rm -f "$out"
    [ "$n" -eq 0 ] || rc=1
fi
exit $rc
