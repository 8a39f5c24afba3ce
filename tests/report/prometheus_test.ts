import assert from "node:assert/strict";
import { labelValue, metricName, renderPrometheus } from "../../lib/report/prometheus.ts";
import { summarize } from "../../lib/stats/stats.ts";
import { ignoredBecause, optionalImport } from "../_interop_tools.ts";
import type { Sample } from "../../lib/stats/sample.ts";

const PARSER = "npm:parse-prometheus-text-format@1.1.1";
type Family = {
  name: string;
  help: string;
  type: string;
  metrics: { value: string; labels?: Record<string, string> }[];
};
const parser = await optionalImport<{ default: (text: string) => Family[] }>(PARSER);

function sample(id: number, latencyMs: number, ok: boolean): Sample {
  return {
    phase: "optimized",
    requestId: id,
    inputSha256: "",
    sentMs: id * 10,
    headersMs: null,
    latencyMs,
    status: ok ? 200 : 500,
    ok,
    error: ok ? "" : "http_5xx",
    bytesIn: 0,
    outputSha256: "",
    serverQueueMs: null,
    serverInferMs: null,
    connId: "",
  };
}

const summary = summarize([sample(0, 10, true), sample(1, 20, true), sample(2, 30, false)]);
const text = renderPrometheus({
  phases: [
    { phase: "baseline", target: "http://127.0.0.1:8080/v1/infer", summary: summarize([]) },
    { phase: "optimized", target: 'odd "target"\\x', summary },
  ],
  thresholds: [{ expr: "p95<=800", op: "<=", value: 800, actual: 29, pass: true }],
});

const NAME = "renderPrometheus() output parses with a real Prometheus text parser";
Deno.test({
  name: NAME,
  ignore: ignoredBecause(parser, NAME),
  fn() {
    const families = (parser as { default: (t: string) => Family[] }).default(text);
    const byName = new Map(families.map((f) => [f.name, f]));
    const p95 = byName.get("loadgate_p95")!;
    assert.equal(p95.type, "GAUGE");
    assert.deepEqual(p95.metrics.map((m) => m.labels?.phase), ["baseline", "optimized"]);
    assert.equal(p95.metrics[1]!.value, String(summary.p95));
    assert.equal(p95.metrics[1]!.labels?.target, 'odd "target"\\x');
    assert.equal(p95.metrics[0]!.value, "NaN");
    const errors = byName.get("loadgate_errors")!;
    assert.deepEqual(errors.metrics.map((m) => [m.labels?.kind, m.value]), [["http_5xx", "1"]]);
    assert.deepEqual(byName.get("loadgate_sla_pass")!.metrics.map((m) => m.value), ["1"]);
  },
});

Deno.test("renderPrometheus() follows the format's rules: one HELP and TYPE per family, samples together, final newline", () => {
  assert.ok(text.endsWith("\n"));
  const lines = text.trimEnd().split("\n");
  const seen = new Set<string>();
  let current = "";
  for (const line of lines) {
    const m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (m) {
      if (m[1] === "HELP") {
        assert.ok(!seen.has(m[2]!), `family ${m[2]} appears twice`);
        seen.add(m[2]!);
        current = m[2]!;
      } else assert.equal(m[3], "gauge");
      continue;
    }
    const s =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\} (\S+)$/
        .exec(line);
    assert.ok(s, `not a sample line: ${line}`);
    assert.equal(s[1], current, `sample of ${s[1]} outside its family`);
    assert.ok(/^(NaN|[+-]Inf|-?\d+(\.\d+)?(e[+-]?\d+)?)$/.test(s[3]!), `bad value ${s[3]}`);
  }
  assert.ok(seen.has("loadgate_requests") && seen.has("loadgate_throughput"));
});

Deno.test("metricName() and labelValue() keep names and labels within the format", () => {
  assert.equal(metricName("ok-p95.x"), "loadgate_ok_p95_x");
  assert.equal(labelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  assert.equal(renderPrometheus({ phases: [] }), "");
});
