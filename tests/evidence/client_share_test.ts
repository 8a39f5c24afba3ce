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
  const share = clientShare(decompose(samples), monitor(1));
  assert.equal(share?.remainder_mean_ms, 4);
  assert.equal(share?.share_of_remainder, 0.25);
  assert.equal(share?.cpu_share, 0.5);
});

Deno.test("clientShare() caps the share at 1 and is null without client figures", () => {
  assert.equal(clientShare(decompose(samples), monitor(9))?.share_of_remainder, 1);
  assert.equal(clientShare(decompose(samples), null), null);
  assert.equal(clientShare(decompose(samples), { ...monitor(1), lag_samples: 0 }), null);
});
