/**
 * vLLM's `bench serve` conventions accepted: its goodput form, `e2el` as a
 * metric name, "did you mean" for its (and guidellm's) flag names, and the
 * SLA a run gates on said when no --sla is given.
 */
import assert from "node:assert/strict";
import { joinGoodputArgs, parseGoodput } from "../../../lib/stats/goodput.ts";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import { flagHint } from "../../../lib/base/flag_hints.ts";
import { slaNote } from "../../../lib/commands/run/lines.ts";
import { runInProcess } from "../../_in_process.ts";

const URL = ["--url", "http://127.0.0.1:8000/v1/infer"];

Deno.test("--goodput takes vLLM's KEY:MS form beside METRIC<=MS, e2el for e2e", () => {
  const ours = parseGoodput("ttft<=200,tpot<=50,e2e<=2000");
  assert.deepEqual(parseGoodput("ttft:200 tpot:50 e2el:2000"), ours);
  assert.deepEqual(parseGoodput("ttft:200,tpot:50,e2el:2000"), ours);
  assert.throws(() => parseGoodput("ttft:fast"), /vLLM's METRIC:MS/);
  // vLLM's nargs="+": separate arguments after --goodput.
  assert.deepEqual(
    joinGoodputArgs(["--goodput", "ttft:200", "tpot:50", "-n", "5"]),
    ["--goodput", "ttft:200 tpot:50", "-n", "5"],
  );
  const o = parseRunArgs([...URL, "--stream", "--goodput", "ttft:200", "tpot:50"]);
  assert.ok(o !== "help");
  assert.deepEqual(o.goodput, [{ metric: "ttft", maxMs: 200 }, { metric: "tpot", maxMs: 50 }]);
});

Deno.test("e2el names E2E in --sla too", () => {
  const o = parseRunArgs([
    ...["--url", "http://127.0.0.1:8000", "--api", "openai-chat", "--model", "m"],
    ...["--synthetic", "input=4,output=2", "--sla", "e2el_p95<=900"],
  ]);
  assert.ok(o !== "help");
  assert.equal(o.thresholds[0]!.metric, "e2e_p95");
});

Deno.test("an unknown flag gets a did-you-mean: vLLM's and guidellm's names, and typos", async () => {
  const cases: [string, RegExp][] = [
    [
      "--request-rate",
      /Unknown option '--request-rate': did you mean --rate\? \(vLLM's --request-rate\)/,
    ],
    ["--max-concurrency", /did you mean --concurrency \(closed loop\) or --max-in-flight/],
    ["--num-prompts", /did you mean --requests\?/],
    ["--percentile-metrics", /did you mean --percentiles/],
    ["--metric-percentiles", /did you mean --percentiles\?/],
    ["--save-result", /did you mean --out DIR/],
    ["--max-seconds", /did you mean --duration\? \(guidellm's --max-seconds\)/],
    ["--concurency", /did you mean --concurrency\?/],
  ];
  for (const [flag, expect] of cases) {
    const r = await runInProcess([...URL, flag, "1"]);
    assert.equal(r.code, 2, flag);
    assert.match(r.stderr, expect);
  }
  assert.equal(flagHint("zzzzzz", ["rate", "requests"]), null);
});

Deno.test("a run with only --goodput says the SLA it gates on is the default", () => {
  const o = parseRunArgs([...URL, "--stream", "--goodput", "ttft<=200"]);
  assert.ok(o !== "help");
  assert.equal(
    slaNote(o),
    "SLA: p95<=800 and error_rate<=0 (the default: no --sla given; --goodput is reported, " +
      "not gated: add --sla 'goodput_ratio>=0.95' to gate on it)",
  );
  const given = parseRunArgs([...URL, "--sla", "p99<=100"]);
  assert.ok(given !== "help");
  assert.equal(slaNote(given), null);
});
