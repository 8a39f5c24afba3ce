"""Recompute P50/P95/P99 of each phase's CSV log with numpy and compare them to
comparison.json, to 0.001 ms. Usage: python3 tests/numpy_check.py RESULTS_DIR
Prints one line per phase; exits 1 on any disagreement, 77 when numpy is missing."""
import csv
import json
import sys

try:
    import numpy as np
except ImportError:
    print("numpy_check: numpy is not installed; skipped")
    sys.exit(77)

folder = sys.argv[1]
comparison = json.load(open(f"{folder}/comparison.json"))
bad = 0
for phase in ("baseline", "optimized"):
    with open(f"{folder}/{phase}.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    lat = np.array([float(r["latency_ms"]) for r in rows])
    summary = comparison[phase]
    if len(rows) != summary["requests"]:
        print(f"{phase}: {len(rows)} log rows but {summary['requests']} requests in comparison.json")
        bad += 1
    for p in (50, 95, 99):
        ours, theirs = summary[f"p{p}"], float(np.percentile(lat, p))
        ok = abs(ours - theirs) <= 0.001
        bad += not ok
        print(f"{phase} p{p}: comparison.json {ours:.3f} numpy {theirs:.3f} {'ok' if ok else 'DIFFERS'}")
sys.exit(1 if bad else 0)
