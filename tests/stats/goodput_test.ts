import assert from "node:assert/strict";
import { goodput, meetsSlos, parseGoodput, sloValue } from "../../lib/stats/goodput.ts";
import type { LlmRequest } from "../../lib/stats/llm/metrics.ts";
import { UsageError } from "../../lib/base/errors.ts";

const req = (over: Partial<LlmRequest> = {}): LlmRequest => ({
  ok: true,
  latencyMs: 1000,
  ttftMs: 100,
  itlMs: [],
  inputTokens: 10,
  outputTokens: 19, // TPOT 50
  ...over,
});

Deno.test("parseGoodput() reads per-request SLOs in ms", () => {
  assert.deepEqual(parseGoodput("ttft<=200,tpot<=50,e2e<=2000"), [
    { metric: "ttft", maxMs: 200 },
    { metric: "tpot", maxMs: 50 },
    { metric: "e2e", maxMs: 2000 },
  ]);
  assert.deepEqual(parseGoodput(" e2el <= 1.5ms "), [{ metric: "e2e", maxMs: 1.5 }]);
});

Deno.test("parseGoodput() refuses bad SLOs with one line", () => {
  for (const bad of ["", "ttft<200", "itl<=5", "ttft<=x", "ttft>=5", "ttft<=1,ttft<=2"]) {
    assert.throws(
      () => parseGoodput(bad),
      (e: unknown) => e instanceof UsageError && /--goodput/.test(e.message),
      bad,
    );
  }
});

Deno.test("a request is good when it succeeded and met every SLO, bounds included", () => {
  const slos = parseGoodput("ttft<=100,tpot<=50,e2e<=1000");
  assert.equal(meetsSlos(req(), slos), true);
  assert.equal(meetsSlos(req({ ttftMs: 100.001 }), slos), false);
  assert.equal(meetsSlos(req({ latencyMs: 1001 }), slos), false); // e2e and TPOT over
  assert.equal(meetsSlos(req({ outputTokens: 10 }), slos), false); // TPOT 100
  assert.equal(meetsSlos(req({ ok: false }), slos), false);
  assert.equal(meetsSlos(req({ outputTokens: 1, latencyMs: 100 }), slos), true); // TPOT 0
});

Deno.test("sloValue() takes the latency as the TTFT of an answer not streamed, and no TPOT", () => {
  assert.equal(sloValue(req({ ttftMs: null }), "ttft"), 1000);
  assert.equal(sloValue(req({ ttftMs: null }), "tpot"), null);
});

Deno.test("goodput() with a TPOT SLO on answers not streamed has no data: NaN, never all good", () => {
  const slos = parseGoodput("tpot<=0.001");
  const unstreamed = Array.from({ length: 10 }, () => req({ ttftMs: null }));
  const g = goodput(unstreamed, slos, 1);
  assert.equal(g.good, 0);
  assert.equal(g.judged, 0);
  assert.ok(Number.isNaN(g.ratio) && Number.isNaN(g.per_s), JSON.stringify(g));
  // One streamed answer among them: judged; the unstreamed ones are not good.
  const mixed = goodput([...unstreamed, req()], parseGoodput("tpot<=1000"), 1);
  assert.deepEqual({ good: mixed.good, judged: mixed.judged }, { good: 1, judged: 1 });
});

Deno.test("goodput() gives the share of all requests and the rate of good ones", () => {
  const slos = parseGoodput("ttft<=150");
  const requests = [req(), req(), req({ ttftMs: 200 }), req({ ok: false })];
  assert.deepEqual(goodput(requests, slos, 4), {
    good: 2,
    requests: 4,
    judged: 4,
    ratio: 0.5,
    per_s: 0.5,
  });
  const none = goodput([], slos, 0);
  assert.ok(Number.isNaN(none.ratio) && Number.isNaN(none.per_s));
});
