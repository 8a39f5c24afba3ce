import assert from "node:assert/strict";
import { ExitCode, UsageError } from "../../../lib/base/errors.ts";
import { percentile, sortedCopy } from "../../../lib/stats/stats.ts";
import {
  capacityGate,
  checkSearch,
  countStep,
  findKnee,
  gateExitCode,
  kneeMetric,
  parseRates,
  type Probe,
  searchCapacity,
  type StepResult,
  sweepRates,
} from "../../../lib/commands/sweep/capacity.ts";

/**
 * A serialized server of service time `serviceMs` under a constant open-loop
 * rate for `stepS` seconds: request i arrives at i/rate, waits FIFO, is served
 * in serviceMs. Requests over `timeoutMs` fail. Its capacity is 1000/serviceMs.
 */
function serializedServer(serviceMs: number, slaP95Ms: number, stepS = 10, timeoutMs = 5000) {
  const rates: number[] = [];
  const probe: Probe = (rate) => {
    rates.push(rate);
    const n = Math.floor(rate * stepS);
    const latencies: number[] = [];
    let free = 0;
    let failed = 0;
    for (let i = 0; i < n; i++) {
      const arrive = (1000 * i) / rate;
      const done = Math.max(arrive, free) + serviceMs;
      free = done;
      latencies.push(done - arrive);
      if (done - arrive > timeoutMs) failed++;
    }
    const sorted = sortedCopy(latencies);
    const p95 = percentile(sorted, 95);
    const step: StepResult = {
      rate,
      achievedRate: n / (free / 1000),
      requests: n,
      p50Ms: percentile(sorted, 50),
      p95Ms: p95,
      p99Ms: percentile(sorted, 99),
      errorRate: failed / n,
      scheduleLagMs: 0,
      sla: p95 <= slaP95Ms ? "pass" : "fail",
    };
    return Promise.resolve(step);
  };
  return { probe, rates };
}

Deno.test("parseRates() reads an ascending list and refuses empty, bad or descending ones", () => {
  assert.deepEqual(parseRates("5, 10,20,40.5"), [5, 10, 20, 40.5]);
  for (const bad of ["", " ", "5,,10", "5,x", "0,5", "-1,5", "20,10", "5,5"]) {
    assert.throws(() => parseRates(bad), UsageError, bad);
  }
  assert.throws(() => parseRates("20,10"), /must ascend \(20 then 10\)/);
});

Deno.test("checkSearch() refuses min above max and a step that holds no request", () => {
  assert.doesNotThrow(() => checkSearch(5, 100, 1, 10));
  assert.throws(() => checkSearch(100, 5, 1, 10), /--min-rate 100 up to --max-rate 5/);
  assert.throws(() => checkSearch(0, 5, 1, 10), UsageError);
  assert.throws(() => checkSearch(0.05, 5, 1, 10), /hold no request/);
  assert.throws(() => checkSearch(5, 10, 0, 10), UsageError);
});

Deno.test("the search converges to a serialized server's capacity 1/S within its resolution", async () => {
  // S = 10 ms: capacity 100/s. With P95 <= 2 S, a 10 s step passes up to ~100.1/s.
  const server = serializedServer(10, 20);
  const result = await searchCapacity(server.probe, { minRate: 5, maxRate: 1000, resolution: 1 });
  assert.ok(result.capacity !== null && result.lowestFailed !== null);
  assert.ok(result.lowestFailed - result.capacity <= 1, `bracket ${result.resolution}`);
  assert.ok(result.capacity <= 100.2 && result.lowestFailed >= 99.9, JSON.stringify(result));
  assert.equal(result.steps.length, server.rates.length);
  assert.equal(result.steps.length, 2 + Math.ceil(Math.log2((1000 - 5) / 1))); // 12
  assert.equal(result.nonMonotone, false);
  // The maximum was clearly overloaded: most requests timed out.
  assert.match(result.steps[1]!.overloaded ?? "", /error rate/);
});

Deno.test("the search stops at once when the minimum fails or the maximum passes", async () => {
  const slow = serializedServer(100, 200); // capacity 10/s
  const below = await searchCapacity(slow.probe, { minRate: 20, maxRate: 80, resolution: 1 });
  assert.deepEqual(slow.rates, [20]);
  assert.equal(below.capacity, null);
  assert.equal(below.lowestFailed, 20);
  const fast = serializedServer(1, 2); // capacity 1000/s
  const above = await searchCapacity(fast.probe, { minRate: 20, maxRate: 80, resolution: 1 });
  assert.deepEqual(fast.rates, [20, 80]);
  assert.equal(above.capacity, 80);
  assert.equal(above.lowestFailed, null);
});

Deno.test("a rate list stops after a clearly overloaded step and lists the rest as skipped", async () => {
  const server = serializedServer(10, 20);
  const result = await sweepRates([50, 90, 200, 400, 800], server.probe);
  assert.deepEqual(server.rates, [50, 90, 200]);
  assert.deepEqual(result.skipped, [400, 800]);
  assert.equal(result.capacity, 90);
  assert.equal(result.lowestFailed, 200);
});

Deno.test("an overloaded step is a conclusive fail whatever its SLA outcome", () => {
  const base: StepResult = {
    rate: 100,
    achievedRate: 100,
    requests: 1000,
    p50Ms: 1,
    p95Ms: 2,
    p99Ms: 3,
    errorRate: 0,
    scheduleLagMs: 0,
    sla: "inconclusive",
  };
  assert.equal(countStep({ ...base, scheduleLagMs: 1500 }).counted, "fail");
  assert.match(countStep({ ...base, errorRate: 0.6 }).overloaded ?? "", /error rate 60\.0%/);
  assert.equal(countStep({ ...base, errorRate: 0.6 }).conclusive, true);
  assert.deepEqual(
    [countStep(base).counted, countStep(base).conclusive],
    ["fail", false],
  );
  assert.equal(countStep(base, { inconclusive: "pass" }).counted, "pass");
  assert.equal(
    countStep({ ...base, sla: "pass", requests: 0, achievedRate: 100 }).conclusive,
    false,
  );
});

Deno.test("the capacity gate passes and fails on either side of the known capacity", async () => {
  const server = serializedServer(10, 20);
  const result = await searchCapacity(server.probe, { minRate: 5, maxRate: 1000, resolution: 1 });
  assert.equal(capacityGate(result, 90).state, "pass");
  assert.equal(capacityGate(result, 110).state, "fail");
  assert.equal(gateExitCode(capacityGate(result, 90).state, "code"), ExitCode.Pass);
  assert.equal(gateExitCode(capacityGate(result, 110).state, "code"), ExitCode.Fail);
  // Inside the final bracket nothing settles it.
  const inside = (result.capacity! + result.lowestFailed!) / 2;
  assert.equal(capacityGate(result, inside).state, "inconclusive");
});

Deno.test("inconclusive steps make the gate inconclusive, exiting by --strict / --lenient", async () => {
  const probe: Probe = (rate) =>
    Promise.resolve({
      rate,
      achievedRate: rate,
      requests: 100,
      p50Ms: 10,
      p95Ms: 20,
      p99Ms: 30,
      errorRate: 0,
      scheduleLagMs: 0,
      sla: rate <= 40 ? "pass" : rate <= 60 ? "inconclusive" : "fail",
    });
  const strict = await sweepRates([20, 50, 80], probe, { inconclusive: "fail" });
  assert.equal(strict.capacity, 20);
  const lenient = await sweepRates([20, 50, 80], probe, { inconclusive: "pass" });
  assert.equal(lenient.capacity, 50);
  const gate = capacityGate(lenient, 50);
  assert.equal(gate.state, "inconclusive");
  assert.equal(gateExitCode(gate.state, "code"), ExitCode.Inconclusive);
  assert.equal(gateExitCode(gate.state, "fail"), ExitCode.Fail);
  assert.equal(gateExitCode(gate.state, "pass"), ExitCode.Pass);
});

Deno.test("findKnee() names the last step before latency rises faster than throughput", () => {
  const step = (rate: number, x: number, p50: number): StepResult => ({
    rate,
    achievedRate: x,
    requests: 100,
    p50Ms: p50,
    p95Ms: p50,
    p99Ms: p50,
    errorRate: 0,
    scheduleLagMs: 0,
    sla: "pass",
  });
  const knee = findKnee([
    step(80, 80, 13),
    step(10, 10, 10),
    step(20, 20, 10.5),
    step(40, 40, 11),
    step(90, 90, 40),
  ]);
  assert.equal(knee.rate, 80);
  assert.equal(knee.elasticities.length, 4);
  assert.ok(knee.elasticities[3]! > 9 && knee.elasticities[3]! < 10);
  assert.equal(findKnee([step(10, 10, 10), step(20, 20, 11)]).rate, null);
  assert.equal(findKnee([step(10, 10, 10), step(20, 10, 11)]).elasticities[0], Infinity);
});

Deno.test("the knee of a serialized server's curve sits at its capacity", async () => {
  const server = serializedServer(10, 20);
  const result = await sweepRates([25, 50, 75, 95, 105, 120], server.probe, {
    overload: { scheduleLagMs: 1000, errorRate: 0.5, achievedShare: 0 },
  });
  assert.equal(findKnee(result.steps, "p95").rate, 95);
});

Deno.test("kneeMetric() takes the first latency the SLA names; findKnee() reads it from each step's summary", () => {
  assert.equal(kneeMetric(["error_rate", "ttft_p95", "p99"]), "ttft_p95");
  assert.equal(kneeMetric(["p99", "ttft_p95"]), "p99");
  assert.equal(kneeMetric(["error_rate", "throughput"]), "p95", "E2E P95 by default");
  assert.equal(kneeMetric(["tpot_mean"]), "tpot_mean");
  const step = (rate: number, ttft: number): StepResult => ({
    rate,
    achievedRate: rate,
    requests: 100,
    p50Ms: 10,
    p95Ms: 10,
    p99Ms: 10,
    errorRate: 0,
    scheduleLagMs: 0,
    sla: "pass",
    metrics: { ttft_p95: ttft },
  });
  const steps = [step(10, 50), step(20, 52), step(40, 300)];
  const knee = findKnee(steps, "ttft_p95");
  assert.deepEqual([knee.rate, knee.metric], [20, "ttft_p95"]);
  assert.equal(findKnee(steps).rate, null, "E2E P95 is flat: no knee on it");
});
