import assert from "node:assert/strict";
import { openConnector } from "../../lib/load/connection.ts";

Deno.test("fresh asks for Connection: close on every request, pooled keeps connections alive", async () => {
  const seen: Record<string, string[]> = { fresh: [], pooled: [] };
  let policy: "fresh" | "pooled" = "fresh";
  const ports = { fresh: new Set<number>(), pooled: new Set<number>() };
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (
    req,
    info,
  ) => {
    seen[policy]!.push(req.headers.get("connection") ?? "");
    ports[policy].add((info.remoteAddr as Deno.NetAddr).port);
    return new Response("ok");
  });
  for (const p of ["fresh", "pooled"] as const) {
    policy = p;
    const connector = openConnector({ policy: p, concurrency: 2 });
    try {
      for (let i = 0; i < 4; i++) {
        const res = await connector.fetch(`http://127.0.0.1:${server.addr.port}/`, {
          headers: { "x-test": "1" },
        });
        await res.body?.cancel();
      }
    } finally {
      connector.close();
    }
  }
  assert.deepEqual(seen.fresh, ["close", "close", "close", "close"]);
  assert.ok(seen.pooled!.every((v) => v !== "close"));
  assert.equal(ports.fresh.size, 4);
  assert.equal(ports.pooled.size, 1);
});
