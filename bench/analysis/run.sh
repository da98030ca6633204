#!/usr/bin/env bash
# The analysis benchmark: dtm's rollups and GBV risk index against pandas and
# SQLite GROUP BY over the same stored demo operation, in the same run (see
# bench/README.md, "analysis").
#
#   bench/analysis/run.sh BUILD_DIR [SITES] [ROUNDS]     (any working directory)
#
# SITES (default 100000) and ROUNDS (default 12: 1.2M site-rounds) set the size
# of the demo operation; 3000 sites and 3 rounds make a quick try. The "one
# round" rollup is round 12, or the last round when there are fewer.
# OPENDTM_BENCH_ANALYSIS_REPS (default 3) sets the number of repetitions.
# Writes bench/results/analysis.json and analysis-summary.txt and prints the
# summary. The demo files and the database live in a scratch folder under
# ${TMPDIR:-/tmp}, removed at the end. dtm's side is BUILD_DIR/bench/analysis_bench;
# without it, pandas and SQLite are still run and cross-checked.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 ]]; then
  echo "usage: $0 BUILD_DIR [SITES] [ROUNDS]" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build_dir="$(cd "$1" && pwd)"
sites="${2:-100000}"
rounds="${3:-12}"
reps="${OPENDTM_BENCH_ANALYSIS_REPS:-3}"
results="$repo/bench/results"
shared="$repo/../shared/data/real"
gazetteer="$shared/global-pcodes-adm-1-2.hxl.csv"
extents="$shared/country-bbox-naturalearth.csv"
dictionary="$repo/dictionary/dtm-default.yaml"
export OPENDTM_DICTIONARY="$dictionary"

for number in "$sites" "$rounds" "$reps"; do
  if ! [[ "$number" =~ ^[0-9]+$ && "$number" -ge 1 ]]; then
    echo "analysis bench: SITES, ROUNDS and OPENDTM_BENCH_ANALYSIS_REPS must be whole numbers" \
         ">= 1, not '$number'" >&2
    exit 2
  fi
done
one_round=$((rounds < 12 ? rounds : 12))
for needed in "$gazetteer" "$extents" "$dictionary"; do
  if [[ ! -f "$needed" ]]; then
    echo "analysis bench: $needed not found" >&2
    exit 3
  fi
done
if [[ ! -x /usr/bin/python3 ]] || ! /usr/bin/python3 -c 'import pandas, numpy, yaml, sqlite3' 2>/dev/null; then
  echo "analysis bench: /usr/bin/python3 cannot import pandas, numpy, yaml and sqlite3 (Debian's" \
       "python3-pandas, python3-yaml; scripts/install-deps.sh installs them)" >&2
  exit 3
fi

# The demo files (about 860 MB at 100000 sites x 12 rounds) plus the database
# (about 1.3 GB) and the tools' result files (about 0.6 GB).
tmp_root="${TMPDIR:-/tmp}"
need_mb=$((sites * rounds / 300 + 200))
free_kb=$(df -Pk "$tmp_root" | awk 'NR == 2 { print $4 }')
if ((free_kb / 1024 < need_mb)); then
  echo "analysis bench: only $((free_kb / 1024)) MB free in $tmp_root; the benchmark needs" \
       "$need_mb MB (set TMPDIR to a roomier folder)" >&2
  exit 3
fi
scratch="$(mktemp -d "$tmp_root/opendtm-analysis-bench.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

# Private copies of dtm and of the analysis binary, so that a rebuild of
# BUILD_DIR during the run does not disturb them; a copy taken while the linker
# writes the binary does not run, so try again for up to two minutes.
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
  echo "analysis bench: $build_dir/dtm not found or not working: build it first (make)" >&2
  exit 3
fi
dtm_bench=""
if [[ -x "$build_dir/bench/analysis_bench" ]]; then
  for _ in $(seq 60); do
    rm -f "$scratch/analysis_bench"
    if cp "$build_dir/bench/analysis_bench" "$scratch/analysis_bench" 2>/dev/null; then
      # Without arguments it prints its usage: exit 2 (or 0/1), never 126+ as a
      # half-written file would.
      rc=0
      "$scratch/analysis_bench" >/dev/null 2>&1 || rc=$?
      if ((rc <= 2)); then
        dtm_bench="$scratch/analysis_bench"
        break
      fi
    fi
    sleep 2
  done
  if [[ -z "$dtm_bench" ]]; then
    echo "analysis bench: $build_dir/bench/analysis_bench does not run: dtm not measured" >&2
  fi
else
  echo "analysis bench: $build_dir/bench/analysis_bench not found (build the benchmarks):" \
       "dtm not measured, pandas and SQLite still cross-checked" >&2
fi

echo "analysis bench: writing the demo files for $sites sites x $rounds rounds into $scratch/data..." >&2
"$scratch/dtm" demo --out "$scratch/data" --sites "$sites" --rounds "$rounds" \
  --gazetteer "$gazetteer" --extents "$extents" >&2

echo "analysis bench: storing them with dtm (untimed)..." >&2
prepared="$(/usr/bin/python3 "$here/prepare_db.py" --dtm "$scratch/dtm" --data "$scratch/data" \
  --scratch "$scratch" --gazetteer "$gazetteer" --db "$scratch/analysis.db")"
echo "analysis bench: $prepared" >&2
# The round files are not needed any more: give their room back.
rm -rf "$scratch/data"

# Exit 1: the tools disagree (the results, written anyway, say where).
status=0
/usr/bin/python3 "$here/analysis_bench.py" --db "$scratch/analysis.db" --dictionary "$dictionary" \
  --one-round "$one_round" --scratch "$scratch" --results "$results" --repetitions "$reps" \
  --dtm "$scratch/dtm" --dtm-bench "$dtm_bench" --sites "$sites" --rounds "$rounds" \
  --prepared "$prepared" || status=$?
if ((status <= 1)); then
  echo
  cat "$results/analysis-summary.txt"
fi
exit "$status"
