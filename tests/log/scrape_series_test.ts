import assert from "node:assert/strict";
import { parsePrometheusText } from "../../lib/log/prometheus_text.ts";
import { scrapeSeries } from "../../lib/log/scrape_series.ts";

const text = (running: number, tokens: number, count: number) =>
  "# TYPE vllm:num_requests_running gauge\n" +
  `vllm:num_requests_running{model_name="m"} ${running}\n` +
  "# TYPE vllm:generation_tokens counter\n" +
  `vllm:generation_tokens_total{model_name="m"} ${tokens}\n` +
  "# TYPE vllm:e2e histogram\n" +
  `vllm:e2e_bucket{le="1"} ${count}\nvllm:e2e_count ${count}\nvllm:e2e_sum ${count * 0.5}\n`;

Deno.test("scrapeSeries() makes counters deltas and gauges series, by series key", () => {
  const json = scrapeSeries({
    url: "http://x/metrics",
    intervalS: 1,
    snapshots: [
      { atMs: -2, families: parsePrometheusText(text(0, 100, 10)) },
      { atMs: 1000, families: parsePrometheusText(text(3, 150, 12)) },
      { atMs: 2000.5, families: parsePrometheusText(text(1, 180, 16)) },
    ],
    failures: ["one failed"],
  });
  assert.deepEqual(json.counters, {
    'vllm:generation_tokens_total{model_name="m"}': 80,
    "vllm:e2e_count": 6,
    "vllm:e2e_sum": 3,
  });
  assert.deepEqual(json.gauges, {
    'vllm:num_requests_running{model_name="m"}': [[-2, 0], [1000, 3], [2000.5, 1]],
  });
  assert.equal(json.scrapes, 3);
  assert.deepEqual(json.failures, ["one failed"]);
});

Deno.test("scrapeSeries() of no reads is empty, not an error", () => {
  const json = scrapeSeries({ url: "u", intervalS: 1, snapshots: [], failures: [] });
  assert.deepEqual([json.counters, json.gauges, json.scrapes], [{}, {}, 0]);
});
