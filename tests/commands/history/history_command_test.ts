import assert from "node:assert/strict";
import { BACKENDS, POSTGRES_SKIP, syntheticRuns } from "../../_history.ts";
import { historyCommand } from "../../../lib/commands/history/command.ts";
import { type HistoryOptions, parseHistoryArgs } from "../../../lib/commands/history/flags.ts";
import { openHistory } from "../../../lib/history/open.ts";
import type { CliContext } from "../../../lib/commands/shared/context.ts";

/** Runs `history ARGS --history LOCATION`; returns its exit code and lines. */
async function history(location: string, args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const ctx: CliContext = {
    out: (l) => void out.push(l),
    err: (l) => void out.push(`err: ${l}`),
    color: false,
    print: () => 0,
  };
  const options = parseHistoryArgs([...args, "--history", location]) as HistoryOptions;
  return { code: await historyCommand(options, ctx), out };
}

/** The 30 runs (10 % P95 regression from run 21) recorded at `location`; list, trend, changes. */
async function thirtyRunsOutput(location: string): Promise<string[][]> {
  const store = await openHistory(location);
  try {
    for (const run of syntheticRuns()) await store.record(run);
  } finally {
    await store.db.close();
  }
  const outputs: string[][] = [];
  for (
    const args of [["list"], ["trend", "p95"], ["changes", "p95"], ["trend", "p50", "--last", "5"]]
  ) {
    const r = await history(location, args);
    assert.equal(r.code, 0, r.out.join("\n"));
    outputs.push(r.out);
  }
  return outputs;
}

for (const backend of BACKENDS) {
  Deno.test({
    name:
      `${backend.name}: 30 runs with a 10% P95 regression at run 21: changes flags run 21 alone`,
    ignore: backend.skip !== null,
    fn: async () => {
      const [list, trend, changes] = await thirtyRunsOutput(await backend.location());
      assert.equal(list!.length, 30);
      assert.equal(
        list![20]!,
        "#21  2026-11-01T00:21:00.000Z  run  pass  http://127.0.0.1:8000/v1/infer  branch=main commit=c021",
      );
      assert.equal(trend!.length, 32);
      assert.equal(changes!.length, 2, changes!.join("\n"));
      const m =
        /^ {2}run #21 \(.*commit=c021\): median ([\d.]+) -> ([\d.]+) \(\+([\d.]+)%\), p = ([\d.]+)$/
          .exec(changes![1]!);
      assert.ok(m, changes![1]);
      assert.ok(Number(m[3]) > 7 && Number(m[3]) < 13, `the shift is about 10%: ${m[3]}`);
      assert.ok(Number(m[4]) <= 0.01);
    },
  });
}

Deno.test({
  name: "the same 30 runs give identical list, trend and changes on SQLite and PostgreSQL",
  ignore: POSTGRES_SKIP !== null,
  fn: async () => {
    const [sqlite, postgres] = BACKENDS;
    const a = await thirtyRunsOutput(await sqlite!.location());
    const b = await thirtyRunsOutput(await postgres!.location());
    assert.equal(a.flat().length, 30 + 32 + 2 + 7);
    // Both print the comparable key's digests, so the texts are identical line by line.
    assert.deepEqual(b, a);
  },
});

Deno.test("history: a bad subcommand, a missing id, an unknown metric or run is bad usage", async () => {
  const location = await BACKENDS[0]!.location();
  const store = await openHistory(location);
  await store.record(syntheticRuns({ count: 1 })[0]!);
  await store.db.close();
  for (
    const args of [["frobnicate"], ["show"], ["show", "x"], ["prune"], ["trend", "nope"], [
      "trend",
      "p95",
      "--run",
      "9",
    ]]
  ) {
    await assert.rejects(
      () => history(location, args),
      (e: Error) => e.name === "UsageError",
      args.join(" "),
    );
  }
  const shown = await history(location, ["show", "1"]);
  assert.equal(JSON.parse(shown.out.join("\n")).figures.p95 > 0, true);
});
