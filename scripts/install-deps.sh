#!/usr/bin/env bash
# Installs every Debian and npm package OpenDTM needs to build, test and run.
# Idempotent: a second run installs nothing and takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev          # dictionary loader (YAML with line marks)
  nlohmann-json3-dev       # JSON export of the dictionary
  libxlsxwriter-dev        # XLSForm writer
  libminizip-dev libxml2-dev  # XLSX reader (zip container + sheet XML)
  libsqlite3-dev sqlite3   # the embedded store; sqlite3 is the ingest benchmark's baseline
  libpcre2-dev             # regex() in XLSForm expressions
  libicu-dev               # Unicode case folding
  zlib1g-dev               # reads verbatim copies written before zstd
  libzstd-dev              # compresses the verbatim copies of source files
  libssl-dev               # libcrypto: SHA-256 (source files, audit chain)
  libsodium-dev            # audit chain: HMAC-SHA-256 links under a key outside the database, Ed25519 checkpoints
  coinor-libclp-dev        # COIN-OR Clp (EPL): the LPs of protection intervals (disclosure/internal/protection_lp.h); GLPK is GPL-3, kept out
  python3 python3-openpyxl # the independent XLSForm reader used by tests
  python3-yaml             # tests edit copies of the dictionary with a YAML tool nobody here wrote
  python3-pandas           # the ingest benchmark's pandas baseline (under /usr/bin/python3)
  python3-scipy            # tests/disclosure: the independent LP audit of protection intervals (linprog, HiGHS)
  nodejs npm               # ODK's XForm engine used by tests
  gdal-bin                 # ogrinfo: tests open the CSV and GeoJSON exports with GDAL, as QGIS does
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    # nodejs/npm may come from outside Debian's packages on a dev machine: accept any node >= 20.
    if [[ "$pkg" == nodejs || "$pkg" == npm ]] && command -v node >/dev/null && command -v npm >/dev/null; then
      continue
    fi
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages for the interoperability tests (pinned in tests/interop/package.json).
if [[ -f tests/interop/package.json ]]; then
  if [[ ! -d tests/interop/node_modules/@getodk/xforms-engine || tests/interop/package.json -nt tests/interop/node_modules/.stamp ]]; then
    echo "install-deps: npm install in tests/interop"
    (cd tests/interop && npm install --no-audit --no-fund --loglevel=error && touch node_modules/.stamp)
  fi
fi
echo "install-deps: all dependencies present"
