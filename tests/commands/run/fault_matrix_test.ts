/**
 * The fault matrix (issue 12): every kind of fault of `_fault_server.ts`, on
 * both engines and both connection policies. For each: one log row per
 * request sent, the right ok / error / status on each row, the verdict and
 * the exit code. Streamed cases run on both engines too: h1 parses the
 * stream from the bytes as they arrive, fetch through its body reader.
 */
import assert from "node:assert/strict";
import { runCommand } from "../../../lib/commands/run/command.ts";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import { readLog } from "../../../lib/log/csv/log.ts";
import type { Sample } from "../../../lib/stats/sample.ts";
import { FAULT_KINDS, type FaultKind, faultServer, FIRST_TEXT_MS } from "../../_fault_server.ts";
import { within } from "../../_tcp_servers.ts";

const N = 4;
/**
 * Every timeout-free fault ends well within it (the reset comes 150 ms after the head): wide
 * enough that a busy CI machine does not turn a `body` row into a `timeout` (seen at 300 ms, and
 * at 1000 ms with the ten kinds side by side on a shared machine at load 25). The slow-headers
 * server waits past it (SLOW_HEADERS_MS).
 */
const TIMEOUT_MS = 2000;

type Row = [ok: boolean, error: string, status: number | null];

interface Expected {
  /** Rows, in any order. */
  rows: Row[];
  stream?: boolean;
  /** The verdict's reason, when it fails. */
  reason?: string;
}

const all = (row: Row): Row[] => Array.from({ length: N }, () => row);
const failedAll = (kind: string) => `${N} of ${N} requests failed: ${N} ${kind}`;

const EXPECTED: Record<FaultKind, Expected> = {
  reset_mid_body: { rows: all([false, "body", 200]), reason: failedAll("body") },
  stalled_body: { rows: all([false, "timeout", 200]), reason: failedAll("timeout") },
  silent: { rows: all([false, "timeout", null]), reason: failedAll("timeout") },
  http_5xx: { rows: all([false, "http_5xx", 503]), reason: failedAll("http_5xx") },
  huge: { rows: all([false, "body", 200]), reason: failedAll("body") },
  flaky: {
    rows: [...all([true, "", 200]).slice(N / 2), ...all([false, "http_5xx", 500]).slice(N / 2)],
    reason: `${N / 2} of ${N} requests failed: ${N / 2} http_5xx`,
  },
  slow_headers: { rows: all([false, "timeout", null]), reason: failedAll("timeout") },
  in_stream_error: { rows: all([false, "stream", 200]), stream: true, reason: failedAll("stream") },
  role_only_first_chunk: { rows: all([true, "", 200]), stream: true },
  stream_cut: { rows: all([false, "stream", 200]), stream: true, reason: failedAll("stream") },
};

const sortRows = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

for (const engine of ["fetch", "h1"] as const) {
  for (const policy of ["pooled", "fresh"] as const) {
    Deno.test(`fault matrix: ${engine}, ${policy} connections: every fault logged, judged and exited right`, async () => {
      // The kinds side by side, each with its own server and folder: most of a case is a wait
      // for its timeout, and waits overlap. Every case is awaited before the first error is
      // thrown, so none is left running.
      const results = await Promise.allSettled(
        FAULT_KINDS.map((kind) => runCase(kind, engine, policy)),
      );
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
    });
  }
}

async function runCase(kind: FaultKind, engine: string, policy: string): Promise<void> {
  const what = `${kind} (${engine}, ${policy})`;
  const expected = EXPECTED[kind];
  const server = await faultServer(kind);
  const dir = await Deno.makeTempDir({ prefix: "loadgate_matrix_" });
  try {
    const args = [
      "--url",
      server.url,
      "-n",
      String(N),
      "-c",
      "2",
      "--timeout-ms",
      String(TIMEOUT_MS),
      "--engine",
      engine,
      policy === "fresh" ? "--no-reuse" : "--reuse",
      "--max-response-bytes",
      "65536",
      "--sla",
      "p95<=100000",
      "--out",
      dir,
      "-q",
      ...(expected.stream ? ["--stream"] : []),
    ];
    const options = parseRunArgs(args);
    if (options === "help") throw new Error("unreachable");
    const out: string[] = [];
    const code = await within(
      runCommand(options, {
        out: (l) => out.push(l),
        err: () => {},
        stop: new AbortController().signal,
      }),
      30_000,
      what,
    );
    const log: Sample[] = await readLog(`${dir}/run.csv`);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    assert.deepEqual(log.map((s) => s.requestId).sort(), [...Array(N).keys()], `${what}: ids`);
    assert.deepEqual(
      sortRows(log.map((s) => [s.ok, s.error, s.status])),
      sortRows(expected.rows),
      what,
    );
    assert.equal(json.summary.requests, N, what);
    assert.equal(json.summary.ok, log.filter((s) => s.ok).length, what);
    if (expected.reason === undefined) {
      assert.equal(json.verdict, "pass", `${what}: ${out.join("\n")}`);
      assert.equal(code, 0, what);
    } else {
      assert.equal(json.verdict, "fail", what);
      assert.ok(json.reasons.includes(expected.reason), `${what}: ${json.reasons}`);
      assert.equal(code, 1, what);
    }
    if (kind === "role_only_first_chunk") {
      for (const s of log) {
        assert.ok(s.stream!.ttftMs! >= FIRST_TEXT_MS, `${what}: ttft ${s.stream!.ttftMs}`);
        assert.equal(s.stream!.chunks, 3, what);
        assert.equal(s.stream!.itlMs.length, 2, what);
      }
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}
