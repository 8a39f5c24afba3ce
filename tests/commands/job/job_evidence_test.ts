import assert from "node:assert/strict";
import { parseJobArgs } from "../../../lib/commands/job/flags.ts";
import { checkAnalysis } from "../../_analysis_check.ts";
import { runMain } from "../../_helpers.ts";
import { missingTool } from "../../_tools.ts";

const FAST = ["--skip-tests", "--requests", "24", "--concurrency", "4", "--service-ms", "1:4"];

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_evidence_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const NO_OPENSSL = await missingTool("job_evidence_test.ts", "openssl", "openssl", ["version"]);

Deno.test(
  "job --tls serves and requests HTTPS and measures what connection reuse buys",
  { ignore: NO_OPENSSL !== undefined },
  async () => {
    await withTempDir(async (dir) => {
      // Gated on a bound a busy machine meets: the test is about HTTPS and the evidence, and P95
      // over TLS passed 800 ms on a shared 2-core machine at load 20.
      const { code, stdout, stderr } = await runMain([
        "job",
        ...FAST,
        "--tls",
        "--sla",
        "p95<=60000",
        "--details",
        "--out",
        dir,
      ]);
      assert.equal(code, 0, stderr + stdout);
      assert.match(stderr, /baseline: .* \(https\)/);
      assert.match(stdout, /evidence over HTTPS/);
      // --details: the 2 x 2 tables, the queueing analysis and the intervals, as before.
      assert.match(stdout, /2 x 2 run: latency \(ms\) by handler x connections/);
      assert.match(stdout, /where the time goes/);
      assert.match(stdout, /queueing: latency against requests in flight/);
      assert.match(stdout, /^95% intervals/m);
      const analysis = await checkAnalysis(dir, { tls: true, requests: 24, concurrency: 4 });
      const reuse = analysis.findings.find((f: { contributor: string }) =>
        /TLS handshake/.test(f.contributor)
      );
      assert.ok(Number.isFinite(reuse.figure_ms), "the fresh-vs-pooled effect is a number");
      assert.ok(Number.isFinite(analysis.factorial.effects.p95.connections_with_concurrent));
      assert.equal(reuse.interval_ms.length, 2);
    });
  },
);

Deno.test("parseJobArgs() reads --tls and --no-factorial", () => {
  const d = parseJobArgs([], false);
  assert.ok(d !== "help" && d.tls === false && d.factorial === true);
  const o = parseJobArgs(["--tls", "--no-factorial"], false);
  assert.ok(o !== "help" && o.tls === true && o.factorial === false);
});
