import assert from "node:assert/strict";
import { connectionEvidence } from "../../lib/evidence/connection_evidence.ts";
import { makeSample } from "../_helpers.ts";

/** n requests, request i carried by connection conn(i). */
const log = (n: number, conn: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => makeSample({ requestId: i, connId: conn(i) }));

Deno.test("fresh passes with one connection per request, server agreeing", () => {
  const e = connectionEvidence(log(10, (i) => String(40000 + i)), "fresh", 4, {
    requests: 10,
    connections: 10,
  });
  assert.equal(e.ok, true, e.detail);
  assert.equal(e.connections, 10);
  assert.equal(e.max_requests_per_connection, 1);
  assert.equal(e.expected, "one per request (10)");
});

Deno.test("fresh fails when requests shared a connection, and says how many", () => {
  const e = connectionEvidence(log(10, (i) => String(40000 + (i % 9))), "fresh", 4, null);
  assert.equal(e.ok, false);
  assert.match(e.detail, /10 requests shared 9 connections/);
  assert.equal(e.max_requests_per_connection, 2);
});

Deno.test("pooled passes with at most C connections and fails with more", () => {
  const ok = connectionEvidence(log(40, (i) => String(50000 + (i % 4))), "pooled", 4, null);
  assert.equal(ok.ok, true);
  assert.equal(ok.connections, 4);
  assert.equal(ok.mean_requests_per_connection, 10);
  const bad = connectionEvidence(log(40, (i) => String(50000 + (i % 5))), "pooled", 4, null);
  assert.equal(bad.ok, false);
  assert.match(bad.detail, /5 connections for 4 workers/);
});

Deno.test("a server count that disagrees with the log fails the check", () => {
  const e = connectionEvidence(log(8, (i) => String(i % 2)), "pooled", 4, {
    requests: 8,
    connections: 3,
  });
  assert.equal(e.ok, false);
  assert.match(e.detail, /log shows 2 connections but the server counted 3/);
});

Deno.test("a log without connection ids is no evidence", () => {
  const e = connectionEvidence(log(3, () => ""), "fresh", 4, null);
  assert.equal(e.ok, false);
  assert.equal(e.identified, 0);
  assert.match(e.detail, /conn_id is empty/);
});
