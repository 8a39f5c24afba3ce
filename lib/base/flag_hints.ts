/**
 * "Did you mean" for an unknown flag: vLLM's `bench serve` and guidellm's
 * names mapped to loadgate's, else the command's own flag nearest in spelling.
 *
 * @example
 * ```ts
 * flagHint("request-rate", ["rate", "requests"]); // "did you mean --rate? (vLLM's --request-rate)"
 * flagHint("concurency", ["concurrency"]);        // "did you mean --concurrency?"
 * ```
 *
 * @module
 */

/** Other tools' flags and what loadgate calls them (a flag, or a short sentence). */
const FOREIGN: Record<string, { ours: string; tool: string }> = {
  "request-rate": { ours: "--rate", tool: "vLLM" },
  "max-concurrency": {
    ours: "--concurrency (closed loop) or --max-in-flight (with --rate)",
    tool: "vLLM and guidellm",
  },
  "num-prompts": { ours: "--requests", tool: "vLLM" },
  "percentile-metrics": { ours: "--percentiles (every latency metric is reported)", tool: "vLLM" },
  "metric-percentiles": { ours: "--percentiles", tool: "vLLM" },
  "save-result": { ours: "--out DIR (the summary JSON and log are always written)", tool: "vLLM" },
  "save-detailed": { ours: "--out DIR (the CSV log holds every request)", tool: "vLLM" },
  "result-dir": { ours: "--out", tool: "vLLM" },
  "result-filename": { ours: "--phase (it names the files)", tool: "vLLM" },
  "dataset-name": { ours: "--dataset FILE or --synthetic", tool: "vLLM" },
  "dataset-path": { ours: "--dataset", tool: "vLLM" },
  "random-input-len": { ours: "--synthetic input=N,output=M", tool: "vLLM" },
  "random-output-len": { ours: "--synthetic input=N,output=M", tool: "vLLM" },
  "input-len": { ours: "--synthetic input=N,output=M", tool: "vLLM" },
  "output-len": { ours: "--synthetic input=N,output=M (or --max-tokens)", tool: "vLLM" },
  "base-url": { ours: "--url", tool: "vLLM" },
  host: { ours: "--url", tool: "vLLM" },
  port: { ours: "--url", tool: "vLLM" },
  endpoint: { ours: "--url", tool: "vLLM" },
  backend: { ours: "--api", tool: "vLLM" },
  "num-warmups": { ours: "--warmup", tool: "vLLM" },
  "disable-tqdm": { ours: "--quiet", tool: "vLLM" },
  target: { ours: "--url", tool: "guidellm" },
  "rate-type": { ours: "--rate with --arrival constant|poisson", tool: "guidellm" },
  "max-requests": { ours: "--requests", tool: "guidellm" },
  "max-seconds": { ours: "--duration", tool: "guidellm" },
  data: { ours: "--dataset or --synthetic", tool: "guidellm" },
  processor: { ours: "--tokenizer", tool: "guidellm" },
  "output-path": { ours: "--out", tool: "guidellm" },
  "warmup-percent": { ours: "--warmup (a count of requests)", tool: "guidellm" },
};

/** Edits (insert, delete, substitute) between two short strings. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        prev[j]! + 1,
        row[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The hint for unknown flag `name` (without dashes) among a command's `known`
 * flags: another tool's name mapped to ours, else the nearest known flag
 * within 2 edits (or one it starts); null when nothing is near.
 */
export function flagHint(name: string, known: readonly string[]): string | null {
  const foreign = FOREIGN[name];
  if (foreign) return `did you mean ${foreign.ours}? (${foreign.tool}'s --${name})`;
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = k.startsWith(name) && name.length >= 3 ? 1 : distance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== null && bestD <= 2 ? `did you mean --${best}?` : null;
}
