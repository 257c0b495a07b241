#!/usr/bin/env bash
# Compares `mlops drift` with SciPy on the same CSV files: speed (median of several runs, in the same run so the
# ratios hold on a noisy machine) and agreement of every statistic.
#
#   benchmarks/compare-scipy.sh [--rows N] [--keep DIR] [--runs N] [--seed N]
#
#   --rows N    data rows per file (default 1000000); each file has 20 numeric columns
#   --keep DIR  write the CSV files to DIR and keep them; reused when DIR already holds the same rows and seed
#   --runs N    timed runs of each command; the median is reported (default 3)
#   --seed N    seed of the generated data (default 20240917)
#
# Needs the .NET SDK and Debian's python3-numpy and python3-scipy (installed with apt-get when missing).
# Builds and runs serialise on the lock file $MLOPS_BUILD_LOCK (default /tmp/mlops-build.lock), so timings never
# overlap another build. Exits 1 when mlops and SciPy disagree, 2 when a command fails.
set -euo pipefail

rows=1000000
keep=""
runs=3
seed=20240917
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$rows" =~ ^[1-9][0-9]*$ ]] || { echo "--rows must be a positive integer" >&2; exit 2; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive integer" >&2; exit 2; }
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "--seed must be a non-negative integer" >&2; exit 2; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lock="${MLOPS_BUILD_LOCK:-/tmp/mlops-build.lock}"
# Debian's interpreter, never a pyenv/venv one: SciPy and NumPy come from Debian's packages.
python=/usr/bin/python3

# --- SciPy --------------------------------------------------------------------------------------------------------
if ! "$python" -c 'import scipy, numpy' 2>/dev/null; then
  echo "installing python3-scipy and python3-numpy with apt-get" >&2
  as_root=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install python3-scipy" >&2; exit 2; }
    as_root=(sudo)
  fi
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-scipy python3-numpy
fi

# --- Work directory -------------------------------------------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/mlops-compare-scipy.XXXXXX")"
trap 'rm -rf "$work"' EXIT
if [[ -n "$keep" ]]; then
  mkdir -p "$keep"
  data="$(cd "$keep" && pwd)"
else
  data="$work"
fi

# --- Data -------------------------------------------------------------------------------------------------------------
cat >"$work/generate.py" <<'PY'
"""Writes reference.csv and current.csv: a header and ROWS rows of 20 numeric columns with 6 significant digits."""
import sys
import numpy as np

rows, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
COLUMNS = 20
CHUNK = 50_000


def sample(rng, j, n, drifted):
    # Four shapes. In the current file columns 0, 6, 12, 18 shift by 0.1 std (p-values underflow), columns 3, 9, 15
    # by 0.003 std (p-values in the interesting range), every fifth from the second is 20 % wider, and the rest are
    # fresh draws of the same distribution.
    shift = (0.1 if j % 6 == 0 else 0.003 if j % 3 == 0 else 0.0) if drifted else 0.0
    scale = 1.2 if drifted and j % 5 == 1 else 1.0
    kind = j % 4
    if kind == 0:
        return rng.normal(shift, scale, n)
    if kind == 1:
        return rng.normal(50 + 10 * shift, 10 * scale, n)
    if kind == 2:
        return 100 * np.exp(rng.normal(0.5 * shift, 0.5 * scale, n))
    return rng.uniform(-5 * scale, 5 * scale, n) + 2.9 * shift


def write(path, rng, drifted):
    header = ",".join(f"f{j:02d}" for j in range(COLUMNS)) + "\n"
    row = ",".join(["%.6g"] * COLUMNS) + "\n"
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write(header)
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            block = np.column_stack([sample(rng, j, n, drifted) for j in range(COLUMNS)])
            # One C-level format call per chunk: much faster than np.savetxt's per-row formatting.
            f.write((row * n) % tuple(block.ravel().tolist()))


write(f"{out}/reference.csv", np.random.default_rng([seed, 0]), drifted=False)
write(f"{out}/current.csv", np.random.default_rng([seed, 1]), drifted=True)
PY

stamp="rows=$rows seed=$seed generator=2"
if [[ -f "$data/reference.csv" && -f "$data/current.csv" && "$(cat "$data/params" 2>/dev/null)" == "$stamp" ]]; then
  echo "reusing $data/reference.csv and current.csv ($stamp)" >&2
else
  echo "generating 2 x $rows rows x 20 columns ..." >&2
  start=$SECONDS
  "$python" "$work/generate.py" "$rows" "$seed" "$data"
  echo "$stamp" >"$data/params"
  echo "generated in $((SECONDS - start)) s: $(du -h "$data/reference.csv" | cut -f1) per file" >&2
fi

# --- mlops ------------------------------------------------------------------------------------------------------------
echo "building src/MlOps.Cli (Release) ..." >&2
flock "$lock" dotnet build -c Release "$repo/src/MlOps.Cli" -nologo -v quiet >&2
out_dir="$repo/src/MlOps.Cli/bin/Release/net10.0"
if [[ -x "$out_dir/mlops" ]]; then
  mlops=("$out_dir/mlops")
else
  mlops=(dotnet "$out_dir/mlops.dll")
fi

# --- SciPy worker: one process per timed run, so its end-to-end time includes start-up as mlops's does -----------
cat >"$work/scipy_drift.py" <<'PY'
"""Usage: scipy_drift.py ks|wasserstein loadtxt|fromstring REFERENCE CURRENT OUT_JSON"""
import json
import sys
import time

import numpy as np
from scipy import stats

method, loader, reference_path, current_path, out = sys.argv[1:6]


def load(path):
    if loader == "loadtxt":
        return np.loadtxt(path, delimiter=",", skiprows=1)
    # One pass of NumPy's text-to-float parser over the whole file, rows joined by commas.
    with open(path, "rb") as f:
        header = f.readline()
        body = f.read()
    columns = header.count(b",") + 1
    return np.fromstring(body.replace(b"\n", b",").decode("ascii"), sep=",").reshape(-1, columns)


t0 = time.perf_counter()
reference = load(reference_path)
current = load(current_path)
t1 = time.perf_counter()
results = []
for j in range(reference.shape[1]):
    r, c = reference[:, j], current[:, j]
    if method == "ks":
        test = stats.ks_2samp(r, c)
        results.append({"statistic": float(test.statistic), "pValue": float(test.pvalue)})
    else:
        # Evidently's statistic: the distance over the reference's population std, at least 0.001.
        distance = stats.wasserstein_distance(r, c)
        results.append({"statistic": float(distance / max(np.std(r), 0.001)), "pValue": None})
t2 = time.perf_counter()
with open(out, "w", encoding="utf-8") as f:
    json.dump({"load": t1 - t0, "compute": t2 - t1, "rows": [reference.shape[0], current.shape[0]], "results": results}, f)
PY

# --- Timing and agreement ---------------------------------------------------------------------------------------------
cat >"$work/compare.py" <<'PY'
import fcntl
import json
import math
import os
import statistics
import subprocess
import sys
import time

work, data, lock, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
mlops = sys.argv[5:]
reference, current = f"{data}/reference.csv", f"{data}/current.csv"
METHODS = ["ks", "wasserstein"]
LOADERS = ["loadtxt", "fromstring"]


def timed(command, name):
    """Runs a command holding the shared build lock, so no build runs during the measurement; returns (s, stdout)."""
    fd = os.open(lock, os.O_RDONLY | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
    finally:
        os.close(fd)
    if done.returncode != 0:
        print(f"{name} failed with exit code {done.returncode}: {' '.join(command)}", file=sys.stderr)
        sys.stderr.write(done.stderr or done.stdout)
        sys.exit(2)
    return elapsed, done.stdout


def number(x):
    # mlops writes NaN and infinities as JSON strings.
    return float(x) if x is not None else None


times = {}
outputs = {}
for run in range(runs):
    # Round robin, so a noisy spell of the machine hits every command alike.
    for method in METHODS:
        key = ("mlops", method)
        elapsed, stdout = timed([*mlops, "drift", "--reference", reference, "--current", current, "--method", method, "--format", "json"], f"mlops drift --method {method}")
        times.setdefault(key, []).append(elapsed)
        outputs[key] = json.loads(stdout)
        for loader in LOADERS:
            key = ("scipy", method, loader)
            result = f"{work}/scipy-{method}-{loader}.json"
            elapsed, _ = timed([sys.executable, f"{work}/scipy_drift.py", method, loader, reference, current, result], f"SciPy {method} ({loader})")
            with open(result, encoding="utf-8") as f:
                outputs[key] = json.load(f)
            times.setdefault(key, []).append(elapsed)
            times.setdefault(key + ("compute",), []).append(outputs[key]["compute"])
            times.setdefault(key + ("load",), []).append(outputs[key]["load"])
    print(f"run {run + 1}/{runs} done", file=sys.stderr)

median = {k: statistics.median(v) for k, v in times.items()}

# --- Agreement: every column, every method, both loaders (they must read the same numbers) ---
failures = []


def close_relative(a, b, tolerance):
    if a is None or b is None or math.isnan(a) or math.isnan(b):
        return False
    # Below 1e-300 both are zero for any verdict, and near the subnormal range a double has too few bits for 1e-7.
    return a == b or abs(a - b) <= tolerance * max(abs(a), abs(b)) or max(abs(a), abs(b)) < 1e-300


for method in METHODS:
    features = outputs[("mlops", method)]["features"]
    for loader in LOADERS:
        scipy = outputs[("scipy", method, loader)]["results"]
        if len(features) != len(scipy):
            failures.append(f"{method}: mlops reports {len(features)} columns, SciPy {len(scipy)}")
            continue
        for j, (m, s) in enumerate(zip(features, scipy)):
            column = m.get("name", f"column {j}")
            if m.get("method") != method:
                failures.append(f"{method} {column}: mlops used method {m.get('method')}")
            d_m, d_s = number(m.get("statistic")), s["statistic"]
            if method == "ks":
                if d_m is None or math.isnan(d_m) or abs(d_m - d_s) > 1e-9:
                    failures.append(f"ks {column} ({loader}): D mlops {d_m!r} vs SciPy {d_s!r} (|diff| > 1e-9)")
                p_m, p_s = number(m.get("pValue")), s["pValue"]
                if not close_relative(p_m, p_s, 1e-7):
                    failures.append(f"ks {column} ({loader}): p-value mlops {p_m!r} vs SciPy {p_s!r} (relative diff > 1e-7)")
            elif not close_relative(d_m, d_s, 1e-7):
                failures.append(f"wasserstein {column} ({loader}): normalised distance mlops {d_m!r} vs SciPy {d_s!r} (relative diff > 1e-7)")

# --- Table ---
rows_read = outputs[("scipy", "ks", LOADERS[0])]["rows"]
print()
print(f"mlops drift vs SciPy: {rows_read[0]:,} + {rows_read[1]:,} rows x {len(outputs[('mlops', 'ks')]['features'])} columns, median of {runs} runs")
print("ratio = SciPy seconds / mlops seconds; mlops seconds are always end to end (process start, CSV parsing, sort, test)")
print()
header = f"{'method':<16} {'SciPy loader':<12} {'mlops s':>9} {'SciPy e2e s':>12} {'SciPy compute s':>16} {'ratio e2e':>10} {'ratio compute':>14}"
print(header)
print("-" * len(header))
for method in METHODS + ["ks+wasserstein"]:
    for loader in LOADERS:
        if method == "ks+wasserstein":
            # Two mlops runs (each parses the files) against one SciPy process that loads once and runs both.
            m = median[("mlops", "ks")] + median[("mlops", "wasserstein")]
            e2e = median[("scipy", "ks", loader)] + median[("scipy", "wasserstein", loader, "compute")]
            compute = median[("scipy", "ks", loader, "compute")] + median[("scipy", "wasserstein", loader, "compute")]
        else:
            m = median[("mlops", method)]
            e2e = median[("scipy", method, loader)]
            compute = median[("scipy", method, loader, "compute")]
        print(f"{method:<16} {loader:<12} {m:>9.2f} {e2e:>12.2f} {compute:>16.2f} {e2e / m:>9.1f}x {compute / m:>13.1f}x")
print()
for loader in LOADERS:
    load = statistics.median(times[("scipy", "ks", loader, "load")] + times[("scipy", "wasserstein", loader, "load")])
    print(f"SciPy load of both files with {loader}: {load:.2f} s (median)")
print("ks+wasserstein: mlops = both runs added; SciPy e2e = the KS process plus the Wasserstein computation (one load).")
print()

if failures:
    print(f"DISAGREEMENT: {len(failures)} check(s) failed", file=sys.stderr)
    for failure in failures:
        print("  " + failure, file=sys.stderr)
    sys.exit(1)
print("agreement: every column within |dD| <= 1e-9, p-value and normalised Wasserstein within 1e-7 relative")
PY

"$python" "$work/compare.py" "$work" "$data" "$lock" "$runs" "${mlops[@]}"
