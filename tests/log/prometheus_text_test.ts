import assert from "node:assert/strict";
import { parsePrometheusText, seriesKey } from "../../lib/log/prometheus_text.ts";

const VLLM = `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{model_name="meta-llama/Llama-3.1-8B"} 3.0
# HELP vllm:prompt_tokens_total Number of prefill tokens processed.
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{model_name="meta-llama/Llama-3.1-8B"} 1.234e+06
# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{le="0.001",model_name="m"} 0.0
vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="m"} 12.0
vllm:time_to_first_token_seconds_count{model_name="m"} 12.0
vllm:time_to_first_token_seconds_sum{model_name="m"} 1.5
# TYPE python_gc counter
python_gc_total 7 1700000000000
no_type_metric NaN
`;

Deno.test("parsePrometheusText() reads vLLM's families, types, labels and values", () => {
  const families = parsePrometheusText(VLLM);
  assert.deepEqual(families.map((f) => [f.name, f.type, f.samples.length]), [
    ["vllm:num_requests_running", "gauge", 1],
    ["vllm:prompt_tokens_total", "counter", 1],
    ["vllm:time_to_first_token_seconds", "histogram", 4],
    ["python_gc", "counter", 1],
    ["no_type_metric", "untyped", 1],
  ]);
  const running = families[0]!;
  assert.equal(running.help, "Number of requests in model execution batches.");
  assert.deepEqual(running.samples[0], {
    name: "vllm:num_requests_running",
    labels: { model_name: "meta-llama/Llama-3.1-8B" },
    value: 3,
  });
  assert.equal(families[1]!.samples[0]!.value, 1_234_000);
  const inf = families[2]!.samples[1]!;
  assert.deepEqual(inf.labels, { le: "+Inf", model_name: "m" });
  assert.equal(families[2]!.samples[3]!.name, "vllm:time_to_first_token_seconds_sum");
  assert.equal(families[3]!.samples[0]!.timestampMs, 1_700_000_000_000);
  assert.ok(Number.isNaN(families[4]!.samples[0]!.value));
});

Deno.test("parsePrometheusText() unescapes label values and reads Inf values", () => {
  const [f] = parsePrometheusText('m{path="a\\"b\\\\c\\nd", x="y",} +Inf\nm -Inf\n');
  assert.deepEqual(f!.samples[0]!.labels, { path: 'a"b\\c\nd', x: "y" });
  assert.equal(f!.samples[0]!.value, Infinity);
  assert.equal(f!.samples[1]!.value, -Infinity);
});

Deno.test("parsePrometheusText() names the line of a malformed sample", () => {
  const cases: Array<[string, RegExp]> = [
    ["ok 1\n{x} 1", /line 2: .*no metric name/],
    ["m{a=b} 1", /label a without/],
    ['m{a="b 1', /unterminated/],
    ["m", /no value/],
    ["m abc", /"abc", not a number/],
    ["m 1 2 3", /more than a value and a timestamp/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parsePrometheusText(text),
      (e: unknown) => e instanceof SyntaxError && message.test(e.message),
      text,
    );
  }
  assert.deepEqual(parsePrometheusText("# just a comment\n\n"), []);
});

Deno.test("seriesKey() names a series with its labels sorted", () => {
  assert.equal(seriesKey({ name: "m", labels: {}, value: 1 }), "m");
  assert.equal(seriesKey({ name: "m", labels: { b: "2", a: "1" }, value: 1 }), 'm{a="1",b="2"}');
});
