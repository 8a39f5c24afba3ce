/**
 * Deno's bare socket loop as a process of its own, for `peers.ts`'s table:
 * `raw` of `_client_loop.ts` (write a prepared request, read until its
 * Content-Length is in; no clock, no sample, no log) over C connections.
 * Prints `{"requests": N, "seconds": S}` on stdout. The floor of any
 * JavaScript client on Deno's sockets, measured beside loadgate and the peers.
 *
 * ```sh
 * deno run -A tests/bench/raw_loop.ts URL CONNECTIONS REQUESTS BODY_FILE
 * ```
 *
 * @module
 */
import { clientLoop } from "./_client_loop.ts";

if (import.meta.main) {
  const [url, connections, requests, bodyFile] = Deno.args;
  if (url === undefined || bodyFile === undefined) {
    console.error("usage: raw_loop.ts URL CONNECTIONS REQUESTS BODY_FILE");
    Deno.exit(2);
  }
  const body = await Deno.readFile(bodyFile);
  const start = performance.now();
  await clientLoop({
    client: "raw",
    url,
    connections: Number(connections),
    requests: Number(requests),
    body,
  });
  const seconds = (performance.now() - start) / 1000;
  console.log(JSON.stringify({ requests: Number(requests), seconds }));
}
