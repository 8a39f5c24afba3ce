import assert from "node:assert/strict";
import { createStubHandler, serveStub, serviceTimeMs } from "../../lib/stub/server.ts";
import { parseServerTiming } from "../../lib/load/server_timing.ts";

const INFO = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 40001 } } as const;
const info = INFO as unknown as Deno.ServeHandlerInfo;
const body = (inputs: string, max = 8) =>
  JSON.stringify({ inputs, parameters: { max_new_tokens: max } });
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 1));
  assert.ok(cond(), "condition not reached within 2 s");
}
const post = (b: string, path = "/v1/infer") =>
  new Request(`http://stub${path}`, { method: "POST", body: b });

Deno.test("stub answers the same output and service time for the same input", async () => {
  const slept: number[] = [];
  const { handler } = createStubHandler({
    mode: "concurrent",
    serviceMs: [10, 50],
    sleep: (ms) => (slept.push(ms), Promise.resolve()),
  });
  const r1 = await handler(post(body("hello")), info);
  const r2 = await handler(post(body("hello")), info);
  const r3 = await handler(post(body("other")), info);
  const [j1, j2, j3] = [await r1.json(), await r2.json(), await r3.json()];
  assert.deepEqual(j1, j2);
  assert.notDeepEqual(j1, j3);
  assert.equal(j1.tokens, 8);
  assert.equal(slept[0], slept[1]);
  assert.ok(slept.every((ms) => ms >= 10 && ms <= 50));
  assert.equal(r1.headers.get("x-loadgate-conn"), "40001");
  assert.equal(parseServerTiming(r1.headers.get("server-timing")).get("infer"), slept[0]);
});

Deno.test("serviceTimeMs() spreads over the range and is a pure function of the digest", () => {
  assert.equal(serviceTimeMs("00000000", [10, 50]), 10);
  assert.ok(serviceTimeMs("ffffffff", [10, 50]) > 49.99);
  assert.equal(serviceTimeMs("80000000", [10, 50]), 30);
});

Deno.test("stub answers 400, 404, 405 and 413 as DESIGN.md says", async () => {
  const { handler } = createStubHandler({
    mode: "concurrent",
    serviceMs: [0, 0],
    maxBodyBytes: 100,
    sleep: () => Promise.resolve(),
  });
  const status = async (req: Request) => {
    const res = await handler(req, info);
    await res.body?.cancel();
    return res.status;
  };
  assert.equal(await status(post("{not json")), 400);
  assert.equal(await status(post('{"inputs": 5}')), 400);
  assert.equal(await status(post('["inputs"]')), 400);
  assert.equal(await status(post(body("x"), "/v2/other")), 404);
  assert.equal(await status(new Request("http://stub/v1/infer")), 405);
  assert.equal(await status(post(body("x".repeat(200)))), 413);
  assert.equal(await status(post(body("fine"))), 200);
});

Deno.test("serialized stub serves one request at a time, in arrival order", async () => {
  const events: string[] = [];
  const gates: Array<() => void> = [];
  const { handler } = createStubHandler({
    mode: "serialized",
    serviceMs: [1, 1],
    sleep: () => new Promise<void>((r) => gates.push(r)),
  });
  const pending = ["a", "b", "c"].map((x) =>
    handler(post(body(x)), info).then(async (r) => (events.push(x), await r.json()))
  );
  // Wait until the first is in service, then give the others every chance to start too.
  await until(() => gates.length === 1);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(gates.length, 1, "only one request may be in service");
  for (let done = 1; done <= 3; done++) {
    gates.shift()!();
    await until(() => events.length === done);
    if (done < 3) await until(() => gates.length === 1);
    assert.ok(gates.length <= 1, `at most one in service, saw ${gates.length}`);
  }
  await Promise.all(pending);
  assert.deepEqual(events, ["a", "b", "c"]);
});

Deno.test("serialized stub reports queue time in Server-Timing", async () => {
  // 300 ms of service: the second request waits at least 25 ms unless it arrives 275 ms after
  // the first (with 30 ms it arrived 15 ms late on a busy machine and waited 15 ms).
  const stub = serveStub({ mode: "serialized", serviceMs: [300, 300] });
  try {
    const [a, b] = await Promise.all([
      fetch(stub.url, { method: "POST", body: body("one") }),
      fetch(stub.url, { method: "POST", body: body("two") }),
    ]);
    const q = [a, b].map((r) => parseServerTiming(r.headers.get("server-timing")).get("queue")!);
    await a.body?.cancel();
    await b.body?.cancel();
    assert.ok(Math.max(...q) >= 25, `one request waited for the other: ${q}`);
    const stats = await (await fetch(stub.url.replace("/v1/infer", "/stats"))).json();
    assert.equal(stats.requests, 2);
  } finally {
    await stub.shutdown();
  }
});

Deno.test("ConnectionIds tells a new connection on a reused port from a kept-alive one", async () => {
  const { ConnectionIds } = await import("../../lib/stub/server.ts");
  const ids = new ConnectionIds();
  const close = new Headers({ connection: "close" });
  const keep = new Headers();
  // Kept alive: the same connection, whatever the gap.
  assert.equal(ids.idFor(5000, keep), "5000");
  assert.equal(ids.idFor(5000, keep), "5000");
  // The last request of that connection, then the port used again by a new one.
  assert.equal(ids.idFor(5000, close), "5000");
  assert.equal(ids.idFor(5000, close), "5000.1");
  assert.equal(ids.idFor(5001, close), "5001");
  assert.equal(ids.size, 3);
});
