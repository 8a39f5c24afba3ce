/**
 * MSER-5 finds a known warm-up (and drain) within 5 % of its length on
 * synthetic series, and invents none in flat ones.
 */
import assert from "node:assert/strict";
import { mser5, steadyCut } from "../../lib/stats/steady_state.ts";
import { mulberry32 } from "../../lib/stats/random.ts";
import { normalVariate } from "../../lib/stats/variates.ts";

/** A series of `n`: a warm-up of `w` decaying from `high` to the level, then noise around `level`. */
function series(seed: number, n: number, w: number, high: number, level = 50, noise = 5) {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const bias = i < w ? (high - level) * (1 - i / w) : 0;
    return level + bias + noise * normalVariate(rand);
  });
}

Deno.test("mser5 cuts nothing from a flat series, over many seeds", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const flat = series(seed, 1000, 0, 50);
    assert.equal(mser5(flat), 0, `seed ${seed} invented a warm-up`);
    assert.deepEqual(steadyCut(flat), { warmup: 0, drain: 0 }, `seed ${seed}`);
  }
});

Deno.test("mser5 finds a step warm-up within 5 % of its length", () => {
  for (let seed = 1; seed <= 100; seed++) {
    const rand = mulberry32(seed);
    const w = 500;
    const s = Array.from({ length: 5000 }, (_, i) => (i < w ? 200 : 50) + 5 * normalVariate(rand));
    const cut = mser5(s);
    assert.ok(Math.abs(cut - w) <= 0.05 * w, `seed ${seed}: cut ${cut} for a warm-up of ${w}`);
  }
});

Deno.test("mser5 finds a linearly decaying warm-up within 5 % of its length", () => {
  for (let seed = 1; seed <= 100; seed++) {
    const w = 300;
    // A decay to the level: its last steps are within the noise, as in a real warm-up.
    const cut = mser5(series(seed, 3000, w, 500, 50, 2));
    assert.ok(Math.abs(cut - w) <= 0.05 * w, `seed ${seed}: cut ${cut} for a warm-up of ${w}`);
  }
});

Deno.test("steadyCut finds a drain at the end as well as a warm-up", () => {
  const rand = mulberry32(9);
  const s = Array.from(
    { length: 1000 },
    (_, i) => (i < 100 ? 300 : i >= 900 ? 5 : 60) + 3 * normalVariate(rand),
  );
  const { warmup, drain } = steadyCut(s);
  assert.ok(Math.abs(warmup - 100) <= 5, `warm-up ${warmup}`);
  assert.ok(Math.abs(drain - 100) <= 5, `drain ${drain}`);
});

Deno.test("mser5 leaves a short series alone", () => {
  assert.equal(mser5([100, 1, 1, 1, 1, 1, 1, 1, 1, 1]), 0);
  assert.equal(mser5([]), 0);
});
