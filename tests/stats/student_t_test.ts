import assert from "node:assert/strict";
import { studentTCdf, studentTQuantile } from "../../lib/stats/student_t.ts";

// scipy.stats.t.ppf(p, df), scipy 1.x.
const PPF: [number, number, number][] = [
  [0.975, 4, 2.7764451051977934],
  [0.975, 29, 2.045229642132703],
  [0.995, 9, 3.249835541592126],
  [0.9, 2, 1.8856180831641272],
  [0.05, 1, -6.313751514675044],
];

Deno.test("studentTQuantile() matches scipy's t.ppf to 1e-9", () => {
  for (const [p, df, want] of PPF) {
    const got = studentTQuantile(p, df);
    assert.ok(Math.abs(got - want) < 1e-9, `t(${p}, ${df}) = ${got}, scipy ${want}`);
    assert.ok(Math.abs(studentTCdf(got, df) - p) < 1e-12);
  }
  assert.throws(() => studentTQuantile(1, 3), RangeError);
});
