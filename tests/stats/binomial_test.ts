import assert from "node:assert/strict";
import { missingTool, PYTHON } from "../_tools.ts";
import { binomialCdf, binomialTable } from "../../lib/stats/binomial.ts";

/** Exact P(X <= k) with BigInt binomial coefficients, for p = a/b. */
function exactCdf(k: number, n: number, a: number, b: number): number {
  let num = 0n;
  let c = 1n; // C(n, i)
  for (let i = 0; i <= k; i++) {
    num += c * BigInt(a) ** BigInt(i) * BigInt(b - a) ** BigInt(n - i);
    c = (c * BigInt(n - i)) / BigInt(i + 1);
  }
  const den = BigInt(b) ** BigInt(n);
  // Scaled so that even 1e-40 keeps 20 significant digits through the division.
  return Number((num * 10n ** 60n) / den) / 1e60;
}

const close = (a: number, b: number, rel = 1e-12) =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-300), `${a} vs ${b}`);

Deno.test("binomialTable() equals exact rational sums for small n", () => {
  for (const [n, a, b] of [[10, 1, 2], [20, 19, 20], [37, 1, 100], [60, 3, 10]] as const) {
    const t = binomialTable(n, a / b);
    for (let k = 0; k <= n; k++) {
      const want = exactCdf(k, n, a, b);
      if (want > 1e-15) close(t.cdf(k), want, 1e-11);
      const wantSf = 1 - (k === 0 ? 0 : exactCdf(k - 1, n, a, b));
      if (wantSf > 1e-3) close(t.sf(k), wantSf, 1e-11);
    }
  }
  assert.equal(binomialCdf(2, 10, 0.5), 56 / 1024);
  close(binomialTable(10, 0.5).sf(9), 11 / 1024);
});

Deno.test("binomialTable() keeps tiny tails precise: P(X = 0) = (1-p)^n, P(X = n) = p^n", () => {
  for (const [n, p] of [[50, 0.99], [400, 0.95], [1000, 0.5], [3000, 0.01]] as const) {
    const t = binomialTable(n, p);
    close(t.cdf(0), (1 - p) ** n, 1e-9);
    close(t.sf(n), p ** n, 1e-9);
    close(t.pmf(0), (1 - p) ** n, 1e-9);
  }
});

Deno.test("binomialTable() handles n = 1e6: P(X <= n/2) = 1/2 + C(n, n/2)/2^(n+1)", () => {
  const n = 1_000_000;
  const t = binomialTable(n, 0.5);
  // C(n, n/2) / 2^n = sqrt(2/(pi n)) (1 - 1/(4n) + 1/(32 n^2) + ...)
  const center = Math.sqrt(2 / (Math.PI * n)) * (1 - 1 / (4 * n) + 1 / (32 * n * n));
  close(t.pmf(n / 2), center, 1e-9);
  close(t.cdf(n / 2), 0.5 + center / 2, 1e-12);
  // Symmetry: P(X <= k) = P(X >= n - k).
  for (const k of [498_000, 499_500, 499_999]) close(t.cdf(k), t.sf(n - k), 1e-9);
  // P99 side at n = 1e6: mirror of p and 1 - p.
  const a = binomialTable(n, 0.99);
  const b = binomialTable(n, 0.01);
  for (const k of [989_500, 990_000, 990_300]) close(a.cdf(k), b.sf(n - k), 1e-9);
});

Deno.test("binomialTable() is the degenerate point mass at p = 0, p = 1 and n = 0", () => {
  assert.equal(binomialTable(5, 0).cdf(0), 1);
  assert.equal(binomialTable(5, 0).sf(1), 0);
  assert.equal(binomialTable(5, 1).cdf(4), 0);
  assert.equal(binomialTable(5, 1).sf(5), 1);
  assert.equal(binomialTable(0, 0.3).cdf(0), 1);
  assert.throws(() => binomialTable(-1, 0.5), RangeError);
  assert.throws(() => binomialTable(3, 1.5), RangeError);
});

// Found, not imported: importing scipy.stats takes a second of CPU, and the check imports it.
const NO_SCIPY = await missingTool("binomial_test.ts", "python3 with scipy", PYTHON, [
  "-c",
  "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('scipy') else 1)",
]);

Deno.test({
  name: "binomialTable() agrees with scipy.stats.binom",
  ignore: NO_SCIPY !== undefined,
  fn: async () => {
    const cases = [[400, 0.95, 370], [400, 0.95, 389], [367, 0.99, 366], [100_000, 0.99, 98_950]];
    const script = `import sys, json
from scipy.stats import binom
for n, p, k in json.loads(sys.argv[1]):
    print(repr(float(binom.cdf(k, n, p))), repr(float(binom.sf(k - 1, n, p))))`;
    // scipy was found at load: any error of the script is a failure, not a skip.
    const out = await new Deno.Command(PYTHON, {
      args: ["-c", script, JSON.stringify(cases)],
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const rows = new TextDecoder().decode(out.stdout).trim().split("\n");
    assert.equal(rows.length, cases.length);
    cases.forEach(([n, p, k], i) => {
      const [cdf, sf] = rows[i]!.split(" ").map(Number);
      const t = binomialTable(n!, p!);
      close(t.cdf(k!), cdf!, 1e-9);
      close(t.sf(k!), sf!, 1e-9);
    });
  },
});
