/**
 * Why the HTTPS stub serves through node:https and not Deno.serve: prints, for
 * each server, the time from response headers to the end of a small JSON body
 * as a Deno `fetch` client sees it, over pooled HTTPS connections on loopback.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 --allow-run=openssl tests/bench/tls_body_gap.ts
 * ```
 *
 * @module
 */

import { serveHttps } from "../../lib/stub/https_server.ts";
import { percentile, sortedCopy } from "../../lib/stats/stats.ts";
import { makeSelfSignedCert } from "../../lib/stub/tls.ts";

const REQUESTS = 50;
const tls = await makeSelfSignedCert();
const handler = async (req: Request): Promise<Response> => {
  await req.arrayBuffer();
  return Response.json({ output: "x".repeat(800), tokens: 16 });
};

async function measure(url: string): Promise<number[]> {
  const client = Deno.createHttpClient({ caCerts: [tls.cert], http1: true, http2: false });
  const gaps: number[] = [];
  try {
    for (let i = 0; i < REQUESTS; i++) {
      const res = await fetch(url, { method: "POST", body: `{"inputs":"${i}"}`, client });
      const headers = performance.now();
      await res.arrayBuffer();
      gaps.push(performance.now() - headers);
    }
  } finally {
    client.close();
  }
  return gaps;
}

function report(name: string, gaps: number[]): void {
  const s = sortedCopy(gaps);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  console.log(
    `${name.padEnd(28)} headers -> end of body over ${gaps.length} requests: ` +
      `p50 ${percentile(s, 50).toFixed(2)} ms, mean ${mean.toFixed(2)} ms, max ${
        s[s.length - 1]!.toFixed(2)
      } ms`,
  );
}

const deno = Deno.serve(
  { hostname: "127.0.0.1", port: 0, cert: tls.cert, key: tls.key, onListen: () => {} },
  handler,
);
try {
  report("Deno.serve (TLS)", await measure(`https://127.0.0.1:${deno.addr.port}/`));
} finally {
  await deno.shutdown();
}
const node = await serveHttps(handler, {
  hostname: "127.0.0.1",
  port: 0,
  cert: tls.cert,
  key: tls.key,
});
try {
  report("node:https, noDelay (stub)", await measure(`https://127.0.0.1:${node.port}/`));
} finally {
  await node.shutdown();
}
