#!/usr/bin/env bash
# The ingest benchmark: `dtm ingest` against `sqlite3 .import` and pandas on the
# same demo round files, in the same run (see bench/README.md, "ingest").
#
#   bench/ingest/run.sh BUILD_DIR [SITES]     (any working directory)
#
# SITES (default 85000, about 1,017,000 rows in 12 round files, 749 MB) sets the
# size of the demo operation; a small one (5000) makes a quick try.
# OPENDTM_BENCH_INGEST_REPS (default 3) sets the number of repetitions.
# Writes bench/results/ingest.json and ingest-summary.txt and prints the summary.
# The demo files and databases live in a scratch folder under ${TMPDIR:-/tmp},
# removed at the end.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 BUILD_DIR [SITES]" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build_dir="$(cd "$1" && pwd)"
sites="${2:-85000}"
reps="${OPENDTM_BENCH_INGEST_REPS:-3}"
results="$repo/bench/results"
shared="$repo/../shared/data/real"
gazetteer="$shared/global-pcodes-adm-1-2.hxl.csv"
extents="$shared/country-bbox-naturalearth.csv"
export OPENDTM_DICTIONARY="$repo/dictionary/dtm-default.yaml"

if ! [[ "$sites" =~ ^[0-9]+$ && "$sites" -ge 1 ]]; then
  echo "ingest bench: SITES must be a whole number >= 1, not '$sites'" >&2
  exit 2
fi
for needed in "$gazetteer" "$extents" "$OPENDTM_DICTIONARY"; do
  if [[ ! -f "$needed" ]]; then
    echo "ingest bench: $needed not found" >&2
    exit 3
  fi
done
for tool in sqlite3 /usr/bin/python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "ingest bench: $tool not found (scripts/install-deps.sh installs it)" >&2
    exit 3
  fi
done
if ! /usr/bin/python3 -c 'import pandas, yaml' 2>/dev/null; then
  echo "ingest bench: /usr/bin/python3 cannot import pandas and yaml (Debian's python3-pandas," \
       "python3-yaml; scripts/install-deps.sh installs them)" >&2
  exit 3
fi

# The demo files (722 MB at 85000 sites) plus dtm's database (about 1.5 GB) at once.
tmp_root="${TMPDIR:-/tmp}"
free_kb=$(df -Pk "$tmp_root" | awk 'NR == 2 { print $4 }')
if ((free_kb < 3 * 1024 * 1024)); then
  echo "ingest bench: only $((free_kb / 1024)) MB free in $tmp_root; the benchmark needs 3 GB" \
       "(set TMPDIR to a roomier folder)" >&2
  exit 3
fi
scratch="$(mktemp -d "$tmp_root/opendtm-ingest-bench.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

# A private copy of dtm, so that a rebuild of BUILD_DIR during the run does not
# disturb it; a copy taken while the linker writes the binary does not run, so
# try again for up to two minutes.
copied=0
for _ in $(seq 60); do
  rm -f "$scratch/dtm"  # cp onto an existing file would keep its old mode
  if cp "$build_dir/dtm" "$scratch/dtm" 2>/dev/null && "$scratch/dtm" version >/dev/null 2>&1; then
    copied=1
    break
  fi
  sleep 2
done
if ((!copied)); then
  echo "ingest bench: $build_dir/dtm not found or not working: build it first (make)" >&2
  exit 3
fi

# The floor program (bench/ingest/store_floor.cc), built with the benchmarks.
if ! cp "$build_dir/bench/ingest_store_floor" "$scratch/store_floor" 2>/dev/null; then
  echo "ingest bench: $build_dir/bench/ingest_store_floor not found: build it first (make)" >&2
  exit 3
fi

echo "ingest bench: writing the demo files for $sites sites into $scratch/data..." >&2
"$scratch/dtm" demo --out "$scratch/data" --sites "$sites" \
  --gazetteer "$gazetteer" --extents "$extents" >&2

/usr/bin/python3 "$here/ingest_bench.py" --dtm "$scratch/dtm" --data "$scratch/data" \
  --store-floor "$scratch/store_floor" \
  --scratch "$scratch" --dictionary "$OPENDTM_DICTIONARY" --gazetteer "$gazetteer" \
  --results "$results" --repetitions "$reps" --sites "$sites"
echo
cat "$results/ingest-summary.txt"
