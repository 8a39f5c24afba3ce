/**
 * The V8 flags loadgate runs with: the deno.json tasks, the compiled binary
 * (`deno task compile`) and the documented `deno run` line carry them.
 *
 * Why: with V8's defaults a fast 1,000,000-request `run` grows to about 150
 * MB resident, not because it holds that much (the samples take 5 MB) but
 * because V8 lets its young generation grow to 3 x 16 MB and its old
 * generation grow lazily. A 2 MB semi-space and `--memory-saver-mode` (V8's
 * memory saver forced on: slower heap growth) keep it under 100 MB without a
 * hard heap limit, which a run that keeps every sample (open loop, streams)
 * would hit. They replaced a 1 MB semi-space with `--optimize-for-size`, which
 * also held the target but pinned the young generation at 1 MB and ran 1.3 to
 * 1.4 x slower (docs/benchmarks.md, "Memory").
 *
 * @module
 */

/** V8 flags, comma-separated, as `--v8-flags=` takes them. */
export const V8_FLAGS = "--max-semi-space-size=2,--memory-saver-mode";

/** The Deno argument that sets {@linkcode V8_FLAGS}. */
export const V8_FLAGS_ARG = `--v8-flags=${V8_FLAGS}`;
