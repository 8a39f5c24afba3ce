import assert from "node:assert/strict";
import {
  fitLine,
  inFlightAtSend,
  littleCheck,
  queueingEvidence,
} from "../../lib/evidence/queueing.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { makeSample } from "../_helpers.ts";

const close = (a: number, b: number, what: string, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/**
 * A closed loop of `workers` workers against a FIFO server that serves one
 * request at a time for `service` ms: worker k sends at time 0 (plus k * 0.001),
 * then again as soon as its request completes. Returns the log it would write.
 */
function serializedLoop(requests: number, workers: number, service: number): Sample[] {
  const out: Sample[] = [];
  let serverFree = 0;
  const ready = Array.from({ length: workers }, (_, k) => k * 0.001);
  for (let id = 0; id < requests; id++) {
    // The worker that is ready first sends the next request.
    const w = ready.indexOf(Math.min(...ready));
    const sent = ready[w]!;
    const begin = Math.max(sent, serverFree);
    const done = begin + service;
    serverFree = done;
    out.push(makeSample({
      requestId: id,
      sentMs: sent,
      latencyMs: done - sent,
      headersMs: done - sent,
      serverQueueMs: begin - sent,
      serverInferMs: service,
    }));
    ready[w] = done;
  }
  return out;
}

Deno.test("fitLine() recovers slope, intercept and r of known lines", () => {
  const fit = fitLine([1, 2, 3, 4], [3, 5, 7, 9])!;
  close(fit.slope, 2, "slope");
  close(fit.intercept, 1, "intercept");
  close(fit.r, 1, "r");
  close(fitLine([1, 2, 3], [3, 2, 1])!.r, -1, "negative r");
  assert.equal(fitLine([1], [1]), null);
  assert.equal(fitLine([2, 2, 2], [1, 2, 3]), null, "no spread in x");
});

Deno.test("inFlightAtSend() counts the requests in flight when each was sent, itself included", () => {
  const samples = [
    makeSample({ requestId: 0, sentMs: 0, latencyMs: 10 }), // [0, 10)
    makeSample({ requestId: 1, sentMs: 2, latencyMs: 3 }), // [2, 5)
    makeSample({ requestId: 2, sentMs: 5, latencyMs: 10 }), // [5, 15): request 1 ended at 5
    makeSample({ requestId: 3, sentMs: 20, latencyMs: 1 }), // alone
  ];
  assert.deepEqual(inFlightAtSend(samples), [1, 2, 2, 1]);
});

Deno.test("a serialized server's latency rises one service time per request in flight", () => {
  const samples = serializedLoop(200, 4, 10);
  const q = queueingEvidence(samples, 4);
  // During the ramp-up request k sees k + 1 in flight and waits k service times; after it,
  // every request sees 4 in flight and waits 3 service times.
  close(q.latency_vs_in_flight!.slope, 10, "ms per request in flight", 0.01);
  close(q.queue_vs_in_flight!.slope, 10, "queue ms per request in flight", 0.01);
  assert.ok(q.latency_vs_in_flight!.r > 0.99);
  assert.deepEqual(q.by_in_flight.map((g) => [g.from, g.requests]), [[1, 1], [2, 1], [3, 1], [
    4,
    197,
  ]]);
  close(q.by_in_flight.at(-1)!.mean_latency_ms, 40, "latency with 4 in flight", 0.01);
  assert.equal(q.by_order.length, 10);
  assert.equal(q.by_order[0]!.requests, 20);
  assert.ok(q.by_order[0]!.mean_latency_ms < q.by_order[5]!.mean_latency_ms, "ramp-up is faster");
});

Deno.test("littleCheck() holds on a steady closed loop: rate x latency = mean in flight = C", () => {
  const l = littleCheck(serializedLoop(400, 4, 10), 4);
  assert.equal(l.holds, true, l.note);
  close(l.window!.mean_in_flight, 4, "mean in flight", 0.01);
  close(l.window!.throughput_x_mean_latency, 4, "rate x latency", 0.1);
  close(
    l.window!.throughput_x_mean_latency - l.window!.mean_in_flight,
    l.window!.spilled_out -
      l.window!.carried_in,
    "difference = spilled out - carried in",
    1e-9,
  );
  // Whole phase: throughput x mean latency equals the time-average in flight, just under C.
  assert.ok(l.throughput_x_mean_latency <= 4 && l.throughput_x_mean_latency > 3.9);
  assert.match(l.note, /^holds: /);
});

Deno.test("littleCheck() says it does not hold when slow requests straddle the window's start", () => {
  // Two workers. The ramp-up (requests 0 and 1) ends at 10.5 ms, when the window opens;
  // request 2, sent at 10 ms just before it, takes 1000 ms and stays in flight through it,
  // while the other worker's requests take 10 ms each.
  const samples: Sample[] = [
    makeSample({ requestId: 0, sentMs: 0, latencyMs: 10 }),
    makeSample({ requestId: 1, sentMs: 0.5, latencyMs: 10 }),
    makeSample({ requestId: 2, sentMs: 10, latencyMs: 1000 }),
  ];
  for (let i = 3; i < 62; i++) {
    samples.push(makeSample({ requestId: i, sentMs: 10.5 + (i - 3) * 10, latencyMs: 10 }));
  }
  const l = littleCheck(samples, 2);
  assert.equal(l.holds, false);
  assert.match(l.note, /^does not hold: .*sent before the window/);
  assert.ok(l.window!.carried_in > l.window!.spilled_out);
});

Deno.test("littleCheck() is not checked when there are no more requests than workers", () => {
  const l = littleCheck(serializedLoop(4, 4, 10), 4);
  assert.equal(l.holds, null);
  assert.equal(l.window, null);
  assert.match(l.note, /^not checked: 4 requests for 4 workers/);
});
