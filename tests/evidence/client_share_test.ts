import assert from "node:assert/strict";
import { clientShare } from "../../lib/evidence/client_share.ts";
import { decompose } from "../../lib/evidence/decomposition.ts";
import { makeSample } from "../_helpers.ts";

const monitor = (lagP50: number) => ({
  interval_ms: 5,
  lag_samples: 100,
  lag_p50_ms: lagP50,
  lag_p99_ms: lagP50 * 4,
  lag_max_ms: lagP50 * 8,
  cpu_ms: 500,
  wall_ms: 1000,
  cpu_share: 0.5,
});

// headers at 10 ms, queue 2 ms, service 4 ms: a remainder of 4 ms on every request.
const samples = [0, 1, 2, 3].map((i) =>
  makeSample({ requestId: i, headersMs: 10, latencyMs: 11, serverQueueMs: 2, serverInferMs: 4 })
);

Deno.test("clientShare() sets the loop lag's median against the mean remainder", () => {
  const share = clientShare(decompose(samples), monitor(1), 2);
  assert.equal(share?.remainder_mean_ms, 4);
  assert.equal(share?.share_of_remainder, 0.25);
  assert.equal(share?.cpu_share, 0.5);
});

Deno.test("clientShare() caps the share at 1 and is null without client figures", () => {
  assert.equal(clientShare(decompose(samples), monitor(9), 2)?.share_of_remainder, 1);
  assert.equal(clientShare(decompose(samples), null, 2), null);
  assert.equal(clientShare(decompose(samples), { ...monitor(1), lag_samples: 0 }, 2), null);
});

// 20 requests: 19 of 10 ms (service 8, remainder 2), one slow one of 40 ms whose extra 30 ms are
// outside the server (service 8, remainder 30, body 2).
const tailed = Array.from(
  { length: 20 },
  (_, i) =>
    i === 7
      ? makeSample({
        requestId: i,
        headersMs: 38,
        latencyMs: 40,
        serverQueueMs: 0,
        serverInferMs: 8,
      })
      : makeSample({
        requestId: i,
        headersMs: 10,
        latencyMs: 10,
        serverQueueMs: 0,
        serverInferMs: 8,
      }),
);

Deno.test("clientShare() names the tail's time outside the server (remainder + body)", () => {
  const share = clientShare(decompose(tailed), monitor(1), 4)!;
  assert.equal(share.tail_requests, 1);
  assert.equal(share.tail_latency_mean_ms, 40);
  assert.equal(share.tail_outside_ms, 32);
});

Deno.test("clientShare() sets the client's CPU a request times the requests in flight", () => {
  // 0.5 core over 1000 ms = 500 ms of CPU over 20 requests: 25 ms a request.
  const share = clientShare(decompose(tailed), monitor(1), 4)!;
  assert.equal(share.cpu_per_request_ms, 25);
  assert.equal(share.in_flight, 4);
  assert.equal(share.wave_cpu_ms, 100);
  // No more in flight than there were requests.
  const few = clientShare(decompose(tailed.slice(0, 3)), monitor(1), 64)!;
  assert.equal(few.in_flight, 3);
  assert.equal(few.wave_cpu_ms, 500 / 3 * 3);
});
