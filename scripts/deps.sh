#!/usr/bin/env bash
# Install the Debian packages strikemap needs to build and test, only those
# that are missing (idempotent; apt runs only when something is missing).
#   scripts/deps.sh            build + run
#   scripts/deps.sh --test     also what the tests use (oracles, viewers)
#   scripts/deps.sh --fuzz     also clang and libFuzzer (tests/fuzz)
#   scripts/deps.sh --lint     also clang-format and clang-tidy (scripts/lint.sh)
# Flags combine (--test --fuzz).
set -euo pipefail
pkgs=(build-essential cmake pkg-config
      libgdal-dev gdal-bin libproj-dev proj-bin
      libcairo2-dev libpango1.0-dev libpng-dev zlib1g-dev libisal-dev
      fonts-noto-core fonts-dejavu-core)
for flag in "$@"; do
  case $flag in
  --test) pkgs+=(poppler-utils librsvg2-bin chromium qpdf
                postgresql postgresql-15-postgis-3) ;; # tests/db: a real PostGIS
  --fuzz) pkgs+=(clang libclang-rt-14-dev) ;; # libclang_rt.fuzzer-x86_64.a
  --lint) pkgs+=(clang-format clang-tidy) ;;
  *) echo "deps.sh: unknown flag $flag" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
