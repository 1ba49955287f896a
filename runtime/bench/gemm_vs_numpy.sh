#!/usr/bin/env bash
# Times tf-runtime's sgemm and NumPy's float32 matmul (OpenBLAS) side by side in one run, on 1 and
# 2 threads, and prints median / min–max GFLOP/s and the ratio. Rounds alternate the two so that
# background load hits both alike; repeats are pooled across rounds.
#
# Usage: runtime/bench/gemm_vs_numpy.sh            (1024³, 3 rounds × 7 repeats)
#        TFC_BENCH_4096=1 runtime/bench/gemm_vs_numpy.sh   (adds 4096³; slow)
#        ROUNDS=5 runtime/bench/gemm_vs_numpy.sh
#        KEEP_LOG=/tmp/gemm.log runtime/bench/gemm_vs_numpy.sh   (keeps every raw timing)
#
# NumPy comes from a venv under .tools/ (created when missing). OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE, which may be set on this machine and slow a current OpenBLAS, are unset for
# the NumPy command alone; the kernel OpenBLAS then picks is reported (threadpoolctl).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.tools/bench-venv"
rounds="${ROUNDS:-3}"
repeats="${REPEATS:-7}"
sizes="1024"
if [ "${TFC_BENCH_4096:-0}" = 1 ]; then sizes="1024,4096"; fi

if ! "$venv/bin/python" -c 'import numpy, threadpoolctl' 2>/dev/null; then
    echo "creating $venv with numpy and threadpoolctl" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q numpy threadpoolctl
fi

cd "$root"
cargo build --release -q -p tf-runtime --bench gemm 2>/dev/null || true
bench() { TFC_BENCH_RAW=1 TFC_BENCH_SIZES="$sizes" TFC_BENCH_REPEATS="$repeats" cargo bench -q -p tf-runtime --bench gemm 2>/dev/null; }

numpy() { # $1 = threads
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$1" OMP_NUM_THREADS="$1" \
        "$venv/bin/python" - "$1" "$sizes" "$repeats" <<'PY'
import sys, time
import numpy as np
from threadpoolctl import threadpool_info
threads, sizes, repeats = int(sys.argv[1]), [int(s) for s in sys.argv[2].split(",")], int(sys.argv[3])
blas = [i for i in threadpool_info() if i.get("internal_api") == "openblas"]
for b in blas:
    print(f"info numpy {np.__version__} openblas {b.get('version')} kernel {b.get('architecture')} threads {b.get('num_threads')}")
rng = np.random.default_rng(0)
for n in sizes:
    a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    c = a @ b  # warm-up
    reps = min(repeats, 3) if n >= 4096 else repeats
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); np.matmul(a, b, out=c); ts.append(time.perf_counter() - t)
    print("raw numpy", n, threads, " ".join(f"{t:.6f}" for t in sorted(ts)))
PY
}

log="${KEEP_LOG:-$(mktemp)}"
[ -n "${KEEP_LOG:-}" ] || trap 'rm -f "$log"' EXIT
: >"$log"
for r in $(seq 1 "$rounds"); do
    echo "round $r/$rounds" >&2
    bench >>"$log"
    numpy 1 >>"$log"
    numpy 2 >>"$log"
done

grep -E '^(info|tf-runtime)' "$log" | sort -u
python3 - "$log" <<'PY'
import sys, statistics
raw, rounds = {}, {}
for line in open(sys.argv[1]):
    f = line.split()
    if f[:1] == ["raw"]:
        key = (f[1], int(f[2]), int(f[3]))
        raw.setdefault(key, []).extend(float(t) for t in f[4:])
        rounds.setdefault(key, []).append(statistics.median(float(t) for t in f[4:]))
def stats(key):
    n = key[1]; g = sorted(2 * n**3 / t / 1e9 for t in raw[key])
    return statistics.median(g), g[0], g[-1], len(g)
for (name, n, t) in sorted(k for k in raw if k[0] == "sgemm"):
    ours, theirs = stats(("sgemm", n, t)), stats(("numpy", n, t))
    # Ratio within each round (both measured seconds apart), then the median over rounds: less
    # sensitive to a round that other jobs on the machine slowed down.
    per_round = [b / a for a, b in zip(rounds[("sgemm", n, t)], rounds[("numpy", n, t)])]
    print(f"n={n} threads={t}: tf-runtime {ours[0]:.1f} GFLOP/s ({ours[1]:.1f}-{ours[2]:.1f}, {ours[3]} runs) | "
          f"numpy {theirs[0]:.1f} GFLOP/s ({theirs[1]:.1f}-{theirs[2]:.1f}, {theirs[3]} runs) | "
          f"ratio {ours[0] / theirs[0]:.2f} (per-round median {statistics.median(per_round):.2f}, "
          f"range {min(per_round):.2f}-{max(per_round):.2f})")
PY
