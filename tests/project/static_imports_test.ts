/**
 * docs/architecture.md, what a command loads: nothing on the static import
 * path of `run` or of the stub is a `node:` or `npm:` module (the history
 * store's drivers load only with `--history`, node:https only with `--tls`).
 */
import assert from "node:assert/strict";

/**
 * Every module reachable from `entry` through static imports (and, with `dynamic`, through
 * `import("literal")` too, which `deno run` reads and prepares before it runs), and the bare
 * specifiers met.
 */
async function staticGraph(
  entry: URL,
  dynamic = false,
): Promise<{ files: Set<string>; external: Set<string> }> {
  const files = new Set<string>();
  const external = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const url = todo.pop()!;
    if (files.has(url.href)) continue;
    files.add(url.href);
    const source = await Deno.readTextFile(url);
    // Static imports and re-exports only: `import x from "..."`, `export { y } from "..."`.
    const re =
      /^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s*"([^"]+)"|^\s*import\s*"([^"]+)"/gm;
    for (const m of source.matchAll(re)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith(".")) todo.push(new URL(spec, url));
      else external.add(spec);
    }
    if (!dynamic) continue;
    for (const m of source.matchAll(/\bimport\(\s*"(\.[^"]+)"\s*\)/g)) {
      todo.push(new URL(m[1]!, url));
    }
  }
  return { files, external };
}

Deno.test("run's static import graph holds no node: or npm: module (node:sqlite loads on use)", async () => {
  const entries = ["../../lib/commands/run/flags.ts", "../../lib/commands/run/cli.ts"];
  const external = new Set<string>();
  let files = 0;
  for (const e of entries) {
    const g = await staticGraph(new URL(e, import.meta.url));
    g.external.forEach((s) => external.add(s));
    files += g.files.size;
    assert.ok(
      [...g.files].some((f) => f.endsWith("/lib/history/open.ts")) || !e.endsWith("flags.ts"),
      "the walk reaches the history flag's module",
    );
  }
  assert.ok(files > 20, `walked ${files} modules`);
  assert.deepEqual([...external].sort(), []);
});

Deno.test("the stub's static import graph holds no node: or npm: module (node:https loads with --tls)", async () => {
  // The job starts a stub process a cell; with node:https a start took about 0.2 s of CPU, without it 0.1.
  for (const entry of ["../../stub_server.ts", "../../lib/stub/stub_main.ts"]) {
    const g = await staticGraph(new URL(entry, import.meta.url));
    assert.ok(
      [...g.files].some((f) => f.endsWith("/lib/stub/server.ts")),
      `the walk from ${entry} reaches the stub's server`,
    );
    assert.deepEqual([...g.external].sort(), [], entry);
  }
});

Deno.test("the stub's process reads only the stub's modules and those below, not every command's", async () => {
  // lib/stub/spawn.ts starts `deno run stub_server.ts`: main.ts's graph holds every command
  // (about 300 modules, through the registry's dynamic imports); a stub started through it took
  // about 0.15 s of CPU, through stub_server.ts 0.12 s.
  const g = await staticGraph(new URL("../../stub_server.ts", import.meta.url), true);
  const base = new URL("../../", import.meta.url).href;
  const outside = [...g.files].map((f) => f.slice(base.length))
    .filter((f) => f !== "stub_server.ts" && !/^lib\/(base|stats|workload|stub)\//.test(f));
  assert.deepEqual(outside, []);
  assert.ok(g.files.size > 20 && g.files.size < 70, `${g.files.size} modules`);
  const main = await staticGraph(new URL("../../main.ts", import.meta.url), true);
  assert.ok(main.files.size > 3 * g.files.size, `main.ts: ${main.files.size} modules`);
  // And in main.ts's graph, so that deno install and deno cache of main.ts fetch it too.
  assert.ok(main.files.has(new URL("../../stub_server.ts", import.meta.url).href));
});
