/**
 * Issue 12, item 8: the summary's percentiles equal those computed from the
 * CSV log's `latency_ms` (3 decimals), to the last bit, in every mode: plain,
 * `--warmup`, `--rate`, `--html`, `--stream`.
 */
import assert from "node:assert/strict";
import { runCommand } from "../../../lib/commands/run/command.ts";
import { parseRunArgs } from "../../../lib/commands/run/flags.ts";
import { percentile, sortedCopy } from "../../../lib/stats/stats.ts";

const N = 40;

async function runMode(
  url: string,
  extra: string[],
): Promise<{ csv: string; json: { summary: Record<string, number> } }> {
  const dir = await Deno.makeTempDir({ prefix: "loadgate_logged_" });
  try {
    const options = parseRunArgs([
      "--url",
      url,
      "-n",
      String(N),
      "-c",
      "4",
      "--out",
      dir,
      "-q",
      "--sla",
      "p95<=10000",
      ...extra,
    ]);
    if (options === "help") throw new Error("unreachable");
    await runCommand(options, { out: () => {}, err: () => {}, stop: new AbortController().signal });
    return {
      csv: await Deno.readTextFile(`${dir}/run.csv`),
      json: JSON.parse(await Deno.readTextFile(`${dir}/run.json`)),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The measured rows' values of `column`, as numbers. */
function column(csv: string, name: string): number[] {
  const [head, ...rows] = csv.trimEnd().split("\n");
  const cols = head!.split(",");
  const at = cols.indexOf(name);
  const warm = cols.indexOf("warmup");
  return rows.map((r) => r.split(",")).filter((f) => f[warm] !== "true").map((f) => Number(f[at]));
}

Deno.test("summary percentiles equal the log's latency_ms percentiles in every mode", async () => {
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      await req.arrayBuffer();
      const body = new ReadableStream({
        async start(c) {
          const enc = new TextEncoder();
          c.enqueue(enc.encode('data: {"choices":[{"delta":{"content":"a"}}]}\n\n'));
          await new Promise((r) => setTimeout(r, Math.random() * 3));
          c.enqueue(enc.encode('data: {"choices":[{"delta":{"content":"b"}}]}\n\n'));
          c.enqueue(enc.encode("data: [DONE]\n\n"));
          c.close();
        },
      });
      return new Response(body);
    },
  );
  const url = `http://127.0.0.1:${server.addr.port}/v1/infer`;
  for (
    const extra of [[], ["--warmup", "3"], ["--rate", "500"], ["--html"], ["--stream"]]
  ) {
    const { csv, json } = await runMode(url, extra);
    const lat = sortedCopy(column(csv, "latency_ms"));
    assert.equal(lat.length, N);
    for (const p of [50, 95, 99]) {
      assert.equal(json.summary[`p${p}`], percentile(lat, p), `${extra.join(" ")} p${p}`);
    }
    if (extra[0] === "--stream") {
      const ttft = sortedCopy(column(csv, "ttft_ms"));
      assert.equal(json.summary.ttft_p95, percentile(ttft, 95), "ttft_p95");
    }
  }
});
