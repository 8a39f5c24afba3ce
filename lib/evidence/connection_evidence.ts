/**
 * Connection evidence from the server's side: how many TCP connections
 * carried a phase's requests, counted from the `conn_id` column (the client
 * port the stub saw for each request) and from the stub's own counter
 * (`GET /stats`), checked against the phase's connection policy: `fresh`
 * must show one connection per request, `pooled` at most C. Pure.
 *
 * @module
 */

import type { ConnectionPolicy } from "../load/connection.ts";
import type { Sample } from "../stats/sample.ts";

/** The stub's counters as `GET /stats` reports them. */
export interface ServerCounts {
  requests: number;
  connections: number;
}

/** One phase's connection evidence. */
export interface ConnectionEvidence {
  policy: ConnectionPolicy;
  concurrency: number;
  /** Rows in the log. */
  requests: number;
  /** Rows whose response named its connection (`conn_id` not empty). */
  identified: number;
  /** Distinct `conn_id` values: connections the server saw carry a request. */
  connections: number;
  /** Requests per connection: the most any connection carried, and the mean. */
  max_requests_per_connection: number;
  mean_requests_per_connection: number;
  /** The stub's own count, or null when it was not asked. */
  server: ServerCounts | null;
  /** What the policy should give: `one per request (400)` or `at most 32`. */
  expected: string;
  ok: boolean;
  detail: string;
}

/**
 * Counts the connections of a phase and checks them against its policy.
 *
 * @example
 * ```ts
 * connectionEvidence(samples, "fresh", 32, { requests: 400, connections: 400 }).ok; // true
 * ```
 */
export function connectionEvidence(
  samples: readonly Sample[],
  policy: ConnectionPolicy,
  concurrency: number,
  server: ServerCounts | null,
): ConnectionEvidence {
  const perConn = new Map<string, number>();
  for (const s of samples) {
    if (s.connId !== "") perConn.set(s.connId, (perConn.get(s.connId) ?? 0) + 1);
  }
  let identified = 0;
  let busiest = 0;
  for (const count of perConn.values()) {
    identified += count;
    busiest = Math.max(busiest, count);
  }
  const connections = perConn.size;
  const expected = policy === "fresh"
    ? `one per request (${identified})`
    : `at most ${concurrency}`;
  const problems: string[] = [];
  if (identified === 0) problems.push("no response named its connection (conn_id is empty)");
  else if (policy === "fresh" && connections !== identified) {
    problems.push(`${identified} requests shared ${connections} connections`);
  } else if (policy === "pooled" && connections > concurrency) {
    problems.push(`${connections} connections for ${concurrency} workers`);
  }
  if (server && identified > 0) {
    if (server.connections !== connections) {
      problems.push(
        `the log shows ${connections} connections but the server counted ${server.connections}`,
      );
    }
    if (server.requests !== identified) {
      problems.push(
        `the log shows ${identified} answered requests but the server counted ${server.requests}`,
      );
    }
  }
  const ok = problems.length === 0;
  const serverText = server
    ? `, server counted ${server.connections} connections for ${server.requests} requests`
    : "";
  return {
    policy,
    concurrency,
    requests: samples.length,
    identified,
    connections,
    max_requests_per_connection: busiest,
    mean_requests_per_connection: connections > 0 ? identified / connections : 0,
    server,
    expected,
    ok,
    detail: ok
      ? `${policy}: ${connections} connections for ${identified} requests${serverText} (expected ${expected})`
      : `${policy}: ${problems.join("; ")} (expected ${expected})`,
  };
}
