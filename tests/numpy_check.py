"""Recompute P50/P95/P99 of each phase's CSV log with numpy and compare them to
comparison.json, to 0.001 ms (and, when analysis.json holds a 2 x 2 run, each
cell's percentiles and the main effects, to 0.001 and 0.002 ms). Usage: python3 tests/numpy_check.py RESULTS_DIR
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

# analysis.json (the 2 x 2 run): each cell's percentiles and the main effects, from the logs.
try:
    analysis = json.load(open(f"{folder}/analysis.json"))
except FileNotFoundError:
    analysis = None
if analysis and analysis.get("factorial"):
    cells = {}
    for cell in analysis["factorial"]["cells"]:
        with open(f"{folder}/{cell['name']}.csv", newline="") as f:
            lat = np.array([float(r["latency_ms"]) for r in csv.DictReader(f)])
        key = f"{cell['handler']}_{cell['connections']}"
        cells[key] = {p: float(np.percentile(lat, p)) for p in (50, 95, 99)}
        for p in (50, 95, 99):
            ok = abs(cell[f"p{p}"] - cells[key][p]) <= 0.001
            bad += not ok
            print(f"analysis {cell['name']} p{p}: {cell[f'p{p}']:.3f} numpy {cells[key][p]:.3f} {'ok' if ok else 'DIFFERS'}")
    for p in (50, 95, 99):
        c = {k: v[p] for k, v in cells.items()}
        handler = ((c["concurrent_fresh"] - c["serialized_fresh"]) + (c["concurrent_pooled"] - c["serialized_pooled"])) / 2
        conns = ((c["serialized_pooled"] - c["serialized_fresh"]) + (c["concurrent_pooled"] - c["concurrent_fresh"])) / 2
        for name, theirs in (("handler_main", handler), ("connections_main", conns)):
            ours = analysis["factorial"]["effects"][f"p{p}"][name]
            ok = abs(ours - theirs) <= 0.002
            bad += not ok
            print(f"analysis p{p} {name}: {ours:.3f} numpy {theirs:.3f} {'ok' if ok else 'DIFFERS'}")
sys.exit(1 if bad else 0)
