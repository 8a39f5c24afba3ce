/**
 * The suite in a few parts: `deno task test` runs the files of `tests/parts/`
 * (1.ts, 2.ts, ...) side by side, each of which imports its share of the
 * `*_test.ts` files into one isolate. Deno gives every test module an isolate
 * of its own, and starting one costs about 0.27 s of CPU (40 files of one
 * trivial test each: 11 s of CPU one file an isolate, 0.3 s imported from one
 * file); for 160 files that was a third of the suite's CPU. Files are dealt to
 * the parts by their recorded durations (`durations.json`, longest first to the
 * part with the least so far, as pytest-split does); a file not recorded yet
 * counts as DEFAULT_SECONDS. Every `*_test.ts` under `tests/` is in exactly one
 * part; a single file still runs alone with `deno test -A tests/PATH_test.ts`.
 * Not a test file itself.
 */

/** How many parts the suite runs in; tests/parts/ holds 1.ts to PARTS.ts. */
export const PARTS = 6;

/** The weight of a test file with no recorded duration, in seconds. */
export const DEFAULT_SECONDS = 0.5;

const TESTS = new URL("../", import.meta.url);

/** Every `*_test.ts` under `tests/`, as paths relative to it, sorted. */
export async function testFiles(dir: URL = TESTS, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) {
      found.push(...await testFiles(new URL(`${entry.name}/`, dir), `${path}/`));
    } else if (entry.isFile && entry.name.endsWith("_test.ts")) found.push(path);
  }
  return found.sort();
}

/**
 * Deals `files` to `parts` bins: longest recorded duration first, each to the
 * bin with the least time so far (ties: the lower bin; equal durations: by
 * name). Returns each bin's files longest first (ties by name): a part ends
 * with its shortest files, so the parts finish close together.
 */
export function planParts(
  files: readonly string[],
  seconds: Readonly<Record<string, number>>,
  parts: number,
): string[][] {
  const weight = (f: string) => seconds[f] ?? DEFAULT_SECONDS;
  const order = [...files].sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : 1));
  const bins = Array.from({ length: parts }, () => ({ files: [] as string[], total: 0 }));
  for (const file of order) {
    let least = bins[0]!;
    for (const bin of bins) if (bin.total < least.total) least = bin;
    least.files.push(file);
    least.total += weight(file);
  }
  return bins.map((b) => b.files);
}

/** The recorded durations: test file -> seconds (`tests/tools/test_durations.ts` writes it). */
export async function recordedDurations(): Promise<Record<string, number>> {
  return JSON.parse(await Deno.readTextFile(new URL("durations.json", import.meta.url)));
}

/** Imports the test files of part `part` (1-based), which registers their tests. */
export async function importPart(part: number): Promise<void> {
  const plan = planParts(await testFiles(), await recordedDurations(), PARTS);
  for (const file of plan[part - 1]!) await import(new URL(file, TESTS).href);
}
