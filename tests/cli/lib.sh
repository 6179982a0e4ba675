# lib.sh: what the CLI tests share. Each test is run by ctest as
#   bash test_x.sh STRIKEMAP_BINARY SOURCE_DIR OUTPUT_DIR
set -u
SM=$1
SRC=$2
OUT=$3
rm -rf "$OUT"
mkdir -p "$OUT"
FAILS=0
CHECKS=0
fail() { FAILS=$((FAILS + 1)); echo "FAIL: $*" >&2; }
pass() { CHECKS=$((CHECKS + 1)); }
expect() { # expect DESCRIPTION COMMAND...: the command must succeed
  local what=$1; shift
  if "$@"; then pass; else fail "$what"; fi
}
near() { # near GOT WANT TOL: |got - want| <= tol
  awk -v g="$1" -v w="$2" -v t="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= t) }'
}
finish() {
  echo "$(basename "$0"): $CHECKS checks passed, $FAILS failed" >&2
  [ "$FAILS" -eq 0 ]
  exit $?
}
