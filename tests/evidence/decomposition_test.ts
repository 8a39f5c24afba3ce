import assert from "node:assert/strict";
import { decompose, requestParts } from "../../lib/evidence/decomposition.ts";
import { makeSample } from "../_helpers.ts";

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

Deno.test("requestParts() splits latency into queue, service, remainder and body that add up", () => {
  const p = requestParts(makeSample({
    requestId: 7,
    headersMs: 100,
    latencyMs: 104,
    serverQueueMs: 60,
    serverInferMs: 30,
  }))!;
  assert.deepEqual(p.parts, { queue_ms: 60, service_ms: 30, remainder_ms: 10, body_ms: 4 });
  assert.equal(p.headers_ms, 100);
  const sum = Object.values(p.parts).reduce((a, b) => a + b, 0);
  assert.equal(sum, p.latency_ms);
});

Deno.test("requestParts() gives null without headers or without Server-Timing", () => {
  assert.equal(requestParts(makeSample({ headersMs: null })), null);
  assert.equal(requestParts(makeSample({ serverQueueMs: null })), null);
  assert.equal(requestParts(makeSample({ serverInferMs: null })), null);
});

Deno.test("decompose() finds the P95 request by nearest rank and sums shares over all requests", () => {
  // 21 requests: latency 10, 20, ..., 210 ms; queue = latency - 8, service 5, remainder 2, body 1.
  const samples = Array.from({ length: 21 }, (_, i) => {
    const latency = 10 * (i + 1);
    return makeSample({
      requestId: 100 + i,
      latencyMs: latency,
      headersMs: latency - 1,
      serverQueueMs: latency - 8,
      serverInferMs: 5,
    });
  }).reverse(); // order in the log must not matter
  samples.push(makeSample({ requestId: 999, headersMs: null, ok: false, error: "connect" }));
  const d = decompose(samples);
  assert.equal(d.requests, 22);
  assert.equal(d.decomposed, 21);
  // rank round(0.95 * 20) = 19 -> the 20th smallest: 200 ms, request 119
  assert.equal(d.p95_request!.request_id, 119);
  assert.equal(d.p95_request!.latency_ms, 200);
  assert.deepEqual(d.p95_request!.parts, {
    queue_ms: 192,
    service_ms: 5,
    remainder_ms: 2,
    body_ms: 1,
  });
  close(d.p95_request!.shares.queue_ms, 192 / 200, "P95 queue share");
  // Totals: sum of latencies = 10 * (1 + ... + 21) = 2310
  assert.equal(d.total.latency_ms, 2310);
  assert.equal(d.total.sum.service_ms, 105);
  close(d.total.shares.queue_ms, (2310 - 8 * 21) / 2310, "total queue share");
  close(d.total.shares.body_ms, 21 / 2310, "total body share");
  const shareSum = Object.values(d.total.shares).reduce((a, b) => a + b, 0);
  close(shareSum, 1, "shares add up to 1");
  close(d.mean.remainder_ms, 2, "mean remainder");
  // Tail: latency >= P95 (interpolated: 200 ms) -> requests of 200 and 210 ms.
  assert.equal(d.tail!.requests, 2);
  close(d.tail!.mean.queue_ms, (192 + 202) / 2, "tail queue");
  close(d.part_p95.service_ms, 5, "P95 of service time");
});

Deno.test("decompose() of a log without Server-Timing has no P95 request and NaN shares", () => {
  const d = decompose([makeSample({ serverQueueMs: null, serverInferMs: null })]);
  assert.equal(d.decomposed, 0);
  assert.equal(d.p95_request, null);
  assert.equal(d.tail, null);
  assert.ok(Number.isNaN(d.total.shares.queue_ms));
});
