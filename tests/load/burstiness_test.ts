/**
 * vLLM's arrival conventions: `--burstiness K` draws gamma gaps of shape K
 * and mean 1/rate (K = 1 is Poisson), and an OpenAI API's open loop is
 * Poisson unless told otherwise.
 */
import assert from "node:assert/strict";
import { arrivalSchedule } from "../../lib/load/open_loop.ts";
import { parseRunArgs } from "../../lib/commands/run/flags.ts";
import { UsageError } from "../../lib/base/errors.ts";

/** Mean and coefficient of variation of the gaps of a schedule. */
function gaps(times: Float64Array): { mean: number; cv: number } {
  const g = Array.from({ length: times.length - 1 }, (_, i) => times[i + 1]! - times[i]!);
  const mean = g.reduce((a, b) => a + b, 0) / g.length;
  const sd = Math.sqrt(g.reduce((a, b) => a + (b - mean) ** 2, 0) / g.length);
  return { mean, cv: sd / mean };
}

Deno.test("--burstiness K: gamma gaps of mean 1000/rate ms and coefficient of variation 1/sqrt(K)", () => {
  for (const k of [0.25, 1, 4]) {
    const s = arrivalSchedule({
      rate: 50,
      arrival: "poisson",
      seed: 7,
      burstiness: k,
      requests: 40_001,
    });
    const { mean, cv } = gaps(s);
    assert.ok(Math.abs(mean / 20 - 1) < 0.05, `K ${k}: mean gap ${mean} ms, not 20`);
    assert.ok(Math.abs(cv * Math.sqrt(k) - 1) < 0.05, `K ${k}: CV ${cv}, not ${1 / Math.sqrt(k)}`);
  }
  // K = 1 is the Poisson schedule itself; the same seed gives the same schedule.
  const poisson = arrivalSchedule({ rate: 50, arrival: "poisson", seed: 7, requests: 100 });
  const k1 = arrivalSchedule({
    rate: 50,
    arrival: "poisson",
    seed: 7,
    burstiness: 1,
    requests: 100,
  });
  assert.deepEqual(k1, poisson);
  const again = arrivalSchedule({
    rate: 50,
    arrival: "poisson",
    seed: 7,
    burstiness: 0.5,
    requests: 100,
  });
  assert.deepEqual(
    again,
    arrivalSchedule({ rate: 50, arrival: "poisson", seed: 7, burstiness: 0.5, requests: 100 }),
  );
});

Deno.test("run: --rate is Poisson by default with --api openai-*, evenly spaced with raw bodies", () => {
  const llm = parseRunArgs([
    ...["--url", "http://127.0.0.1:8000", "--api", "openai-chat", "--model", "m"],
    ...["--synthetic", "input=4,output=2", "--rate", "5"],
  ]);
  assert.ok(llm !== "help");
  assert.equal(llm.arrival, "poisson");
  const raw = parseRunArgs(["--url", "http://127.0.0.1:8000/v1/infer", "--rate", "5"]);
  assert.ok(raw !== "help");
  assert.equal(raw.arrival, "constant");
  const bursty = parseRunArgs([
    "--url",
    "http://127.0.0.1:8000/v1/infer",
    "--rate",
    "5",
    "--burstiness",
    "0.5",
  ]);
  assert.ok(bursty !== "help");
  assert.equal(bursty.arrival, "poisson");
  assert.equal(bursty.burstiness, 0.5);
});

Deno.test("--burstiness is refused with --arrival constant, without an open loop, and at 0", () => {
  const base = ["--url", "http://127.0.0.1:8000/v1/infer"];
  assert.throws(
    () => parseRunArgs([...base, "--rate", "5", "--arrival", "constant", "--burstiness", "2"]),
    /Cannot use --burstiness with --arrival constant/,
  );
  assert.throws(
    () => parseRunArgs([...base, "--burstiness", "2"]),
    /Cannot use --burstiness without --rate/,
  );
  assert.throws(() => parseRunArgs([...base, "--rate", "5", "--burstiness", "0"]), UsageError);
});
