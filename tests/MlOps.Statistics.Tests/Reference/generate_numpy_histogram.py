"""Reference vectors for Evidently's numeric binning, made by NumPy.

Run with Debian's python3 (NumPy 1.24, SciPy 1.10):  /usr/bin/python3 generate_numpy_histogram.py > numpy_histogram.json
Evidently's get_binned_data bins a numeric column with > 20 distinct reference values on
numpy.histogram_bin_edges(concat(reference, current), bins="sturges"), then numpy.histogram(x, edges).
"""
import json

import numpy as np
from scipy.spatial import distance

rng = np.random.default_rng(20261127)
cases = []
for n_ref, n_cur, kind in [(500, 400, "normal"), (3000, 2000, "lognormal"), (1000, 1000, "integers"), (64, 50, "uniform"), (2000, 2500, "shifted")]:
    if kind == "normal":
        r, c = rng.normal(0, 1, n_ref), rng.normal(0.2, 1.1, n_cur)
    elif kind == "lognormal":
        r, c = rng.lognormal(3, 1, n_ref), rng.lognormal(3.2, 1, n_cur)
    elif kind == "integers":
        r, c = rng.integers(0, 40, n_ref).astype(float), rng.integers(5, 45, n_cur).astype(float)
    elif kind == "uniform":
        r, c = rng.uniform(-5, 5, n_ref), rng.uniform(-4, 6, n_cur)
    else:
        r, c = rng.normal(10, 3, n_ref), rng.normal(11, 3, n_cur)
    r, c = np.round(r, 6), np.round(c, 6)
    edges = np.histogram_bin_edges(np.concatenate([r, c]), bins="sturges")
    rc = np.histogram(r, edges)[0]
    cc = np.histogram(c, edges)[0]
    rp, cp = rc / len(r), cc / len(c)
    rpf = np.where(rp == 0, 1e-4, rp)
    cpf = np.where(cp == 0, 1e-4, cp)
    cases.append({
        "kind": kind,
        "reference": r.tolist(),
        "current": c.tolist(),
        "edges": edges.tolist(),
        "reference_counts": rc.tolist(),
        "current_counts": cc.tolist(),
        "psi": float(np.sum((rpf - cpf) * np.log(rpf / cpf))),
        "jensenshannon": float(distance.jensenshannon(rp, cp)),
    })
print(json.dumps({"about": "numpy.histogram_bin_edges(concat, 'sturges') and numpy.histogram counts; PSI with empty bins at 1e-4 and scipy jensenshannon (base e) on those proportions, as Evidently bins numeric columns", "cases": cases}))
