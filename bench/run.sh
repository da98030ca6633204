#!/usr/bin/env bash
# Runs the benchmarks and writes their results and summaries to bench/results/.
#
#   bench/run.sh BUILD_DIR      (BUILD_DIR as built by `make`; any working directory)
#
# Each benchmark binary writes Google Benchmark JSON; a summary turns it into
# the figures to read (see bench/README.md), is written next to it and printed.
# The ingest benchmark (bench/ingest/run.sh) times the dtm binary itself against
# sqlite3 and pandas, the analysis benchmark (bench/analysis/run.sh) dtm's
# rollups and risk index against pandas and SQLite GROUP BY; each writes its
# own JSON and summary the same way.
#
#   OPENDTM_BENCH_INGEST_SITES=N   size of the ingest benchmark (default 85000 sites,
#                                  about 1M rows; 5000 for a quick run)
#   OPENDTM_BENCH_INGEST_REPS=N    its repetitions (default 3)
#   OPENDTM_BENCH_ANALYSIS_SITES=N size of the analysis benchmark (default 100000
#                                  sites x 12 rounds, 1.2M site-rounds; 3000 for
#                                  a quick run)
#   OPENDTM_BENCH_ANALYSIS_REPS=N  its repetitions (default 3)
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$(cd "$1" && pwd)"
results="$bench_dir/results"
mkdir -p "$results"

# ---- expression: compiled XLSForm expressions vs hand-written C++ -------------
binary="$build_dir/bench/expression_bench"
if [[ ! -x "$binary" ]]; then
  echo "$binary not found: build the expression_bench target first" >&2
  exit 3
fi
# Three repetitions, interleaved at random so that a burst of load on a shared
# machine hits compiled and hand-written runs alike; about 30 s in all.
"$binary" \
  --benchmark_out="$results/expression.json" --benchmark_out_format=json \
  --benchmark_repetitions=3 --benchmark_min_time=0.2 \
  --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true

/usr/bin/python3 - "$results/expression.json" "$results/expression-summary.txt" <<'PY'
import json
import sys

json_path, summary_path = sys.argv[1], sys.argv[2]
with open(json_path) as f:
    data = json.load(f)

# items_per_second of each benchmark: the median of the repetitions (Google
# Benchmark computes rates from CPU time), or the single run without them.
rates, order, errors = {}, [], []
for bench in data["benchmarks"]:
    name = bench.get("run_name", bench["name"])
    if bench.get("error_occurred"):
        errors.append(f"{name}: {bench.get('error_message', 'error')}")
        continue
    is_median = bench.get("run_type") == "aggregate" and bench.get("aggregate_name") == "median"
    if is_median or (bench.get("run_type") == "iteration" and name not in rates):
        if name not in rates:
            order.append(name)
        rates[name] = bench["items_per_second"]
if errors:
    sys.exit("benchmark errors:\n  " + "\n  ".join(errors))


def rate(value, unit):
    if value >= 1e6:
        return f"{value / 1e6:.3g} M {unit}"
    if value >= 1e3:
        return f"{value / 1e3:.3g} k {unit}"
    return f"{value:.3g} {unit}"


# Cases in a fixed order (the JSON's order is shuffled by the interleaving).
PREFERRED = ["relevant_yes", "range_constraint", "sadd_sum_check", "sadd_coalesce_check",
             "selected_none_exclusive", "regex_site_code", "mix"]


context = data.get("context", {})
lines = [
    f"# expression benchmark, {context.get('date', '?')}, {context.get('num_cpus', '?')} CPUs "
    f"at {context.get('mhz_per_cpu', '?')} MHz, load average "
    f"{' '.join(f'{load:.2f}' for load in context.get('load_avg', []))}",
    "# median of 3 repetitions; ratio = hand-written / compiled (how many times slower the "
    "compiled expression is)",
]
cases = []
for name in order:
    case, _, variant = name.partition("/")
    if variant == "compiled" and case not in cases:
        cases.append(case)
cases.sort(key=lambda case: (PREFERRED.index(case) if case in PREFERRED else len(PREFERRED), case))
for case in cases:
    compiled = rates[f"{case}/compiled"]
    hand = rates.get(f"{case}/hand_written")
    label = "mix (5 checks per row)" if case == "mix" else case
    if hand is None:
        lines.append(f"{label}: {rate(compiled, 'evals/s')} compiled")
        continue
    lines.append(f"{label}: {rate(compiled, 'evals/s')} compiled, {rate(hand, 'evals/s')} "
                 f"hand-written, ratio {hand / compiled:.1f}x")
    direct = rates.get(f"{case}/pcre2_direct")
    if direct is not None:
        lines.append(f"{case} vs PCRE2 called directly: {rate(direct, 'evals/s')} direct, "
                     f"ratio {direct / compiled:.1f}x")
for name in sorted(order):
    if name.startswith("compile/"):
        what = name.partition("/")[2].replace("_", " ")
        lines.append(f"compile ({what}): {rate(rates[name], 'compiles/s')}")

with open(summary_path, "w") as f:
    f.write("\n".join(lines) + "\n")
PY
echo
cat "$results/expression-summary.txt"

# ---- ingest: dtm ingest vs sqlite3 .import and pandas on ~1M demo rows --------
# Writes its own demo files into a scratch folder; about 8-10 minutes at the
# default size. OPENDTM_BENCH_INGEST_SITES=5000 makes a quick run.
echo
bash "$bench_dir/ingest/run.sh" "$build_dir" "${OPENDTM_BENCH_INGEST_SITES:-85000}"

# ---- analysis: rollups and the GBV risk index vs pandas and SQLite GROUP BY ----
# Stores a demo operation once (untimed), then times build/bench/analysis_bench,
# pandas and SQLite on it and compares their results; about 15 minutes at the
# default size. OPENDTM_BENCH_ANALYSIS_SITES=3000 makes a quick run.
echo
bash "$bench_dir/analysis/run.sh" "$build_dir" "${OPENDTM_BENCH_ANALYSIS_SITES:-100000}"
