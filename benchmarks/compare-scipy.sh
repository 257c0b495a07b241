#!/usr/bin/env bash
# Compares `mlops drift` with what a Python user runs on the same CSV files — pandas.read_csv, then SciPy's ks_2samp and
# wasserstein_distance per column — for speed (median of several runs, in the same run so the ratios hold on a noisy
# machine) and agreement of every statistic.
#
#   benchmarks/compare-scipy.sh [--rows N] [--keep DIR] [--runs N] [--seed N]
#
#   --rows N    data rows per file (default 1000000); each file has 20 numeric columns
#   --keep DIR  write the CSV files to DIR and keep them; reused when DIR already holds the same rows and seed
#   --runs N    timed runs of each command; the median is reported (default 3)
#   --seed N    seed of the generated data (default 20240917)
#
# Needs the .NET SDK and Debian's python3-numpy, python3-scipy and python3-pandas (installed with apt-get when missing).
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
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# --- SciPy and pandas ------------------------------------------------------------------------------------------------
if ! "$python" -c 'import scipy, numpy, pandas' 2>/dev/null; then
  echo "installing python3-scipy, python3-numpy and python3-pandas with apt-get" >&2
  as_root=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install python3-scipy and python3-pandas" >&2; exit 2; }
    as_root=(sudo)
  fi
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-scipy python3-numpy python3-pandas
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
# What a user installs and runs: the published CLI (ReadyToRun, see src/MlOps.Cli/MlOps.Cli.csproj), not `dotnet run`,
# whose build check alone takes longer than the drift check.
echo "publishing src/MlOps.Cli (Release, ReadyToRun, for this machine's runtime) ..." >&2
flock "$lock" dotnet publish "$repo/src/MlOps.Cli" -c Release --use-current-runtime -o "$work/mlops" -nologo -v quiet >&2
mlops=("$work/mlops/mlops")
# mlops drift's JSON for the default data, as the build before the faster reader and parser printed it: the output
# must stay the same to the byte (checked below when this run's rows and seed have a folder there).
expected="$repo/benchmarks/expected-drift/rows=$rows-seed=$seed"

# --- SciPy worker: one process per timed run, so its end-to-end time includes start-up as mlops's does -----------
cat >"$work/scipy_drift.py" <<'PY'
"""Usage: scipy_drift.py METHODS pandas|loadtxt REFERENCE CURRENT OUT_JSON [--profile]

METHODS is ks, wasserstein or ks,wasserstein: one load of both files, then every method on every column. --profile
also times KS's p-value alone (kstwo.sf, what ks_2samp calls at these sizes), outside the timed work."""
import time

started = time.perf_counter()
import json
import sys

import numpy as np
import pandas as pd
from scipy import stats

methods, loader, reference_path, current_path, out = sys.argv[1:6]
profile = "--profile" in sys.argv[6:]
imported = time.perf_counter()


def load(path):
    if loader == "pandas":
        return pd.read_csv(path).to_numpy()
    return np.loadtxt(path, delimiter=",", skiprows=1)  # NumPy's C reader


t0 = time.perf_counter()
reference = load(reference_path)
current = load(current_path)
t1 = time.perf_counter()
results, compute = {}, {}
for method in methods.split(","):
    start = time.perf_counter()
    rows = []
    for j in range(reference.shape[1]):
        r, c = reference[:, j], current[:, j]
        if method == "ks":
            test = stats.ks_2samp(r, c)
            rows.append({"statistic": float(test.statistic), "pValue": float(test.pvalue)})
        else:
            # Evidently's statistic: the distance over the reference's population std, at least 0.001.
            distance = stats.wasserstein_distance(r, c)
            rows.append({"statistic": float(distance / max(np.std(r), 0.001)), "pValue": None})
    results[method] = rows
    compute[method] = time.perf_counter() - start
document = {"import": imported - started, "load": t1 - t0, "compute": compute, "rows": [reference.shape[0], current.shape[0]], "results": results}
if profile and "ks" in results:
    # ks_2samp's p-value at these sizes (max(n1, n2) > 10000): kstwo.sf(D, round(n1 n2 / (n1 + n2))).
    n1, n2 = reference.shape[0], current.shape[0]
    en = int(np.round(n1 * n2 / (n1 + n2)))
    start = time.perf_counter()
    for row in results["ks"]:
        stats.kstwo.sf(row["statistic"], en)
    document["ksPValues"] = time.perf_counter() - start
with open(out, "w", encoding="utf-8") as f:
    json.dump(document, f)
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

work, data, lock, runs, expected = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
mlops = sys.argv[6:]
reference, current = f"{data}/reference.csv", f"{data}/current.csv"
SINGLE = ["ks", "wasserstein"]
BOTH = "ks,wasserstein"
# (methods, loader) of the SciPy processes: pandas is what a Python user loads with; loadtxt (NumPy's C reader) as well
# for the comparison that counts.
SCIPY = [("ks", "pandas"), ("wasserstein", "pandas"), (BOTH, "pandas"), (BOTH, "loadtxt")]


def timed(command, name, env=None):
    """Runs a command holding the shared build lock, so no build runs during the measurement; returns (s, stdout, stderr)."""
    fd = os.open(lock, os.O_RDONLY | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - start
    finally:
        os.close(fd)
    if done.returncode != 0:
        print(f"{name} failed with exit code {done.returncode}: {' '.join(command)}", file=sys.stderr)
        sys.stderr.write(done.stderr or done.stdout)
        sys.exit(2)
    return elapsed, done.stdout, done.stderr


def run_mlops(methods, env=None):
    return timed([*mlops, "drift", "--reference", reference, "--current", current, "--method", methods, "--format", "json"], f"mlops drift --method {methods}", env)


def run_scipy(methods, loader, extra=()):
    result = f"{work}/scipy-{methods.replace(',', '+')}-{loader}.json"
    elapsed, _, _ = timed([sys.executable, f"{work}/scipy_drift.py", methods, loader, reference, current, result, *extra], f"SciPy {methods} ({loader})")
    with open(result, encoding="utf-8") as f:
        return elapsed, json.load(f)


def number(x):
    # mlops writes NaN and infinities as JSON strings.
    return float(x) if x is not None else None


times, outputs, printed = {}, {}, {}
for run in range(runs):
    # Round robin, so a noisy spell of the machine hits every command alike.
    for methods in SINGLE + [BOTH]:
        elapsed, stdout, _ = run_mlops(methods)
        times.setdefault(("mlops", methods), []).append(elapsed)
        outputs[("mlops", methods)] = json.loads(stdout)
        printed.setdefault(methods, set()).add(stdout)
    for methods, loader in SCIPY:
        elapsed, document = run_scipy(methods, loader)
        key = ("scipy", methods, loader)
        outputs[key] = document
        times.setdefault(key, []).append(elapsed)
        times.setdefault(key + ("compute",), []).append(sum(document["compute"].values()))
        times.setdefault(key + ("load",), []).append(document["load"])
        times.setdefault(key + ("import",), []).append(document["import"])
        for method, seconds in document["compute"].items():
            times.setdefault(key + ("compute", method), []).append(seconds)
    print(f"run {run + 1}/{runs} done", file=sys.stderr)

median = {k: statistics.median(v) for k, v in times.items()}

# --- Where the time goes: one more run of each side, untimed, with its own breakdown ---
_, _, trace = run_mlops(BOTH, env={**os.environ, "MLOPS_TRACE": "1"})
_, profile = run_scipy(BOTH, "pandas", ["--profile"])

# --- Agreement: every column, every method, both loaders (they must read the same numbers) ---
failures = []


def close_relative(a, b, tolerance):
    if a is None or b is None or math.isnan(a) or math.isnan(b):
        return False
    # Below 1e-300 both are zero for any verdict, and near the subnormal range a double has too few bits for 1e-7.
    return a == b or abs(a - b) <= tolerance * max(abs(a), abs(b)) or max(abs(a), abs(b)) < 1e-300


# Every run prints the same, and what the build before the faster reader printed (benchmarks/expected-drift).
checked_bytes = os.path.isdir(expected)
for methods, texts in printed.items():
    if len(texts) != 1:
        failures.append(f"mlops --method {methods}: the runs printed {len(texts)} different outputs")
    if checked_bytes:
        with open(f"{expected}/{methods.replace(',', '+')}.json", encoding="utf-8", newline="") as f:
            if texts != {f.read()}:
                failures.append(f"mlops --method {methods}: the JSON differs from {expected}/{methods.replace(',', '+')}.json")

# One mlops process with both methods prints, per method, exactly what that method alone prints.
several = outputs[("mlops", BOTH)]
for element, method in zip(several.get("methods", []), SINGLE):
    alone = outputs[("mlops", method)]
    if element.get("method") != method or {k: v for k, v in element.items() if k != "method"} != alone:
        failures.append(f"mlops --method {BOTH}: the {method} results differ from mlops --method {method}")
if [e.get("method") for e in several.get("methods", [])] != SINGLE:
    failures.append(f"mlops --method {BOTH}: methods {[e.get('method') for e in several.get('methods', [])]}")

for method in SINGLE:
    features = outputs[("mlops", method)]["features"]
    for methods, loader in SCIPY:
        if method not in methods.split(","):
            continue
        scipy = outputs[("scipy", methods, loader)]["results"][method]
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
rows_read = outputs[("scipy", BOTH, "pandas")]["rows"]
print()
print(f"mlops drift vs pandas + SciPy: {rows_read[0]:,} + {rows_read[1]:,} rows x {len(outputs[('mlops', 'ks')]['features'])} columns, median of {runs} runs")
print("ratio = SciPy seconds / mlops seconds; mlops seconds are always end to end (process start, CSV parsing, sort, tests, output)")
print()
header = f"{'method':<30} {'Python loader':<13} {'mlops s':>8} {'SciPy e2e s':>12} {'SciPy compute s':>16} {'ratio e2e':>10} {'ratio compute':>14}"
print(header)
print("-" * len(header))


def row(label, loader, m, key):
    e2e, compute = median[key], median[key + ("compute",)]
    print(f"{label:<30} {loader:<13} {m:>8.2f} {e2e:>12.2f} {compute:>16.2f} {e2e / m:>9.1f}x {compute / m:>13.1f}x")


for method in SINGLE:
    row(method, "pandas", median[("mlops", method)], ("scipy", method, "pandas"))
row(BOTH, "pandas", median[("mlops", BOTH)], ("scipy", BOTH, "pandas"))
row(BOTH, "loadtxt", median[("mlops", BOTH)], ("scipy", BOTH, "loadtxt"))
row("ks, then wasserstein (2 runs)", "pandas", median[("mlops", "ks")] + median[("mlops", "wasserstein")], ("scipy", BOTH, "pandas"))
print()
print(f"'{BOTH}' is the target's comparison: one mlops process against one Python process that loads both files once and runs both")
print("methods on every column; the last row adds two single-method mlops runs (each reads the files) against the same process.")
ratio = median[("scipy", BOTH, "pandas")] / median[("mlops", BOTH)]
print(f"target (mlops {BOTH} <= 1/10 of pandas + SciPy, end to end): {ratio:.1f}x, {'met' if ratio >= 10 else 'NOT met'}")
print()

# --- Where the time goes ---
key = ("scipy", BOTH, "pandas")
parts = ", ".join(f"{m} {median[key + ('compute', m)]:.2f} s" for m in SINGLE)
print(f"pandas + SciPy ({BOTH}, medians): imports {median[key + ('import',)]:.2f} s, pandas.read_csv of both files {median[key + ('load',)]:.2f} s, {parts},")
print(f"  the rest (interpreter start, exit) {median[key] - median[key + ('import',)] - median[key + ('load',)] - median[key + ('compute',)]:.2f} s;"
      f" numpy.loadtxt of both files {median[('scipy', BOTH, 'loadtxt', 'load')]:.2f} s")
print(f"  of ks_2samp's time, the p-values alone (kstwo.sf, one profiling run): {profile['ksPValues']:.2f} s")
print(f"mlops --method {BOTH} (one MLOPS_TRACE=1 run; time since process start, since the previous line):")
for line in trace.splitlines():
    if line.startswith("mlops trace:"):
        print("  " + line[len("mlops trace:"):].strip())
print()

if failures:
    print(f"DISAGREEMENT: {len(failures)} check(s) failed", file=sys.stderr)
    for failure in failures:
        print("  " + failure, file=sys.stderr)
    sys.exit(1)
print(f"agreement: every column within |dD| <= 1e-9, p-value and normalised Wasserstein within 1e-7 relative; --method {BOTH} gives")
print("exactly the numbers of the two single-method runs")
if checked_bytes:
    print(f"every mlops run printed, byte for byte, the JSON in {expected}")
else:
    print(f"(no {expected}: the JSON was not compared with earlier builds' at these rows and seed)")
PY

"$python" "$work/compare.py" "$work" "$data" "$lock" "$runs" "$expected" "${mlops[@]}"
