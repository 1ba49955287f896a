#!/usr/bin/env bash
# Benchmark (not a test): how long `tfc check` takes on a generated 2,000-line program.
# Prints the in-process figure (parse + check, stdlib included) and the whole-process figure
# (`tfc check` started 30 times), each as median (min–max). Target: under 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
program="$(mktemp --suffix=.tf)"
trap 'rm -f "$program"' EXIT
TFC_BENCH_WRITE="$program" cargo bench --quiet -p tf-check --bench check_speed
cargo build --release --quiet -p tf-driver
python3 - "$program" <<'PY'
import statistics, subprocess, sys, time
program = sys.argv[1]
cmd = ["target/release/tfc", "check", program]
subprocess.run(cmd, check=True)  # warm-up; also proves it checks clean
times = []
for _ in range(30):
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    times.append((time.perf_counter() - start) * 1e3)
lines = sum(1 for _ in open(program))
print(f"tfc check of a {lines}-line program (whole process): median {statistics.median(times):.2f} ms "
      f"(min {min(times):.2f}, max {max(times):.2f}) over {len(times)} runs")
PY
