/**
 * vLLM `bench serve --save-result` files read as they are: per request with
 * streams (`--save-detailed`), per-request latencies only (current
 * `serve.py` without it), or aggregates only; vLLM's own figures kept, and
 * `input_lens`/`output_lens` as the requests' tokens.
 */
import assert from "node:assert/strict";
import { readForeign } from "../../lib/log/foreign/read_foreign.ts";
import { importCommand } from "../../lib/commands/import/command.ts";
import { compareInProcess } from "../_in_process.ts";

const DIR = "tests/fixtures/foreign";
const read = async (file: string) =>
  readForeign(await Deno.readTextFile(`${DIR}/${file}`), { name: file, phase: "v" });

Deno.test("--save-detailed: input_lens and output_lens kept as each request's tokens", async () => {
  const log = await read("vllm.json");
  assert.deepEqual(log.samples[0]!.tokens, { input: 10, output: 3, estimated: false });
  assert.deepEqual(log.samples[1]!.tokens, { input: 12, output: 2, estimated: false });
  assert.equal(log.samples[2]!.ok, false);
  assert.equal(log.samples[2]!.tokens, undefined, "a failed request has no tokens");
  assert.equal(log.aggregates?.completed, 2);
});

Deno.test("--save-result without --save-detailed: per-request latencies, a 0 is a failure, aggregates kept", async () => {
  const log = await read("vllm_save_result.json");
  assert.equal(log.format, "vllm-json");
  assert.deepEqual(log.samples.map((s) => s.latencyMs), [410, 0, 520, 470]);
  assert.deepEqual(log.samples.map((s) => s.ok), [true, false, true, true]);
  assert.equal(log.samples.filter((s) => !s.ok).length, 1, "vLLM's failed: 1");
  assert.equal(log.aggregates?.p99_ttft_ms, 106.0);
  assert.equal(log.aggregates?.mean_e2el_ms, 466.7);
  assert.ok(log.notes.some((n) => /per-request latencies only/.test(n)));
});

Deno.test("aggregates only: no request, vLLM's figures kept; import writes them, compare says why not", async () => {
  const log = await read("vllm_aggregates.json");
  assert.equal(log.samples.length, 0);
  assert.equal(log.aggregates?.p99_tpot_ms, 26.5);
  await Deno.mkdir("results/.tmp", { recursive: true });
  const out = await Deno.makeTempDir({ dir: "results/.tmp", prefix: "vllm_import_" });
  try {
    const lines: string[] = [];
    const quiet = { out: (l: string) => lines.push(l), err: () => {} };
    const code = await importCommand({
      file: `${DIR}/vllm_aggregates.json`,
      outDir: out,
      phase: "agg",
    }, quiet);
    assert.equal(code, 0);
    const record = JSON.parse(await Deno.readTextFile(`${out}/agg.import.json`));
    assert.equal(record.aggregates.mean_ttft_ms, 120.0);
    assert.match(lines.join("\n"), /aggregates only/);
    const c = await compareInProcess([
      `${DIR}/vllm_aggregates.json`,
      `${DIR}/vllm_save_result.json`,
      "--out",
      out,
    ]);
    assert.equal(c.code, 2);
    assert.match(
      c.stderr,
      /aggregates only, no per-request data \(rerun vLLM with --save-detailed/,
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
