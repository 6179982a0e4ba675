#!/usr/bin/env bash
# The README's second command: set up (packages if missing, build with
# warnings as errors) and run the whole test suite through ctest.
#   scripts/test.sh [BUILD_DIR] [extra cmake options...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test
dir=${1:-build-test}
shift || true
cmake -S . -B "$dir" -DSM_WERROR=ON -DSM_BUILD_TESTS=ON "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
cd "$dir"
ctest --output-on-failure -j"$(nproc)"
