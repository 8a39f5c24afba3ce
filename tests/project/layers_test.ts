/**
 * Holds lib/'s layering: a module may import its own folder or a folder below
 * it, never one above. The order is written once, here.
 */
import assert from "node:assert/strict";

/**
 * From the bottom up. `verdict` sits below `evidence` because the evidence
 * reads a comparison's checks; both are pure. `history` (the run history's
 * store) sits above `report` and below `commands`: it reads result documents
 * and keeps them, and every judging command records into it.
 */
export const LAYERS = [
  "base",
  "stats",
  "log",
  "workload",
  "load",
  "stub",
  "verdict",
  "evidence",
  "report",
  "history",
  "commands",
  "cli",
] as const;

const LIB = new URL("../../lib/", import.meta.url);

async function* tsFiles(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* tsFiles(url);
    else if (entry.name.endsWith(".ts")) yield url;
  }
}

/** The relative specifiers a module imports or re-exports, static or dynamic. */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(?\s*)"(\.{1,2}\/[^"]+)"/g;
  for (const m of source.matchAll(re)) found.push(m[1]!);
  return found;
}

/** The layer a lib/ URL belongs to: its first folder under lib/. */
function layerOf(url: URL): string | null {
  if (!url.href.startsWith(LIB.href)) return "outside lib/";
  const rest = url.href.slice(LIB.href.length);
  const slash = rest.indexOf("/");
  return slash < 0 ? null : rest.slice(0, slash);
}

/** Every import in lib/ that goes up a layer or leaves lib/, as `from -> to` lines. */
export async function upwardImports(): Promise<string[]> {
  const bad: string[] = [];
  for await (const file of tsFiles(LIB)) {
    const from = layerOf(file);
    const fromRank = LAYERS.indexOf(from as typeof LAYERS[number]);
    for (const spec of importsOf(await Deno.readTextFile(file))) {
      const target = new URL(spec, file);
      const to = layerOf(target);
      const toRank = LAYERS.indexOf(to as typeof LAYERS[number]);
      const name = (u: URL) => u.href.slice(LIB.href.length);
      if (fromRank < 0) bad.push(`${name(file)}: not in a known layer`);
      else if (toRank < 0 || toRank > fromRank) {
        bad.push(`${name(file)} (${from}) -> ${spec} (${to})`);
      }
    }
  }
  return bad.sort();
}

Deno.test("every lib/ module imports only its own layer or the ones below", async () => {
  assert.deepEqual(await upwardImports(), []);
});

Deno.test("importsOf() finds static, re-exported and dynamic relative imports", () => {
  const src = `import { a } from "./a.ts";\nexport { b } from "../b/b.ts";\n` +
    `const c = await import("./c.ts");\nimport x from "npm:x@1";\nimport type { D } from "./d.ts";`;
  assert.deepEqual(importsOf(src), ["./a.ts", "../b/b.ts", "./c.ts", "./d.ts"]);
});

/** The circles among lib/'s files (type-only imports count): each as its files, sorted. */
export async function fileCircles(): Promise<string[][]> {
  const edges = new Map<string, string[]>();
  for await (const file of tsFiles(LIB)) {
    const from = file.href.slice(LIB.href.length);
    const to = importsOf(await Deno.readTextFile(file))
      .map((spec) => new URL(spec, file).href)
      .filter((href) => href.startsWith(LIB.href))
      .map((href) => href.slice(LIB.href.length));
    edges.set(from, to);
  }
  // Tarjan's strongly connected components: a component of two or more files is a circle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) circles.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return circles;
}

Deno.test("no circle of files in lib/, type-only imports included", async () => {
  assert.deepEqual(await fileCircles(), []);
});
