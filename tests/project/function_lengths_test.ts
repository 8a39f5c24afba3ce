/** Holds "no function in lib/ over about 80 lines" (issue 11), with the scan of tests/tools/. */
import assert from "node:assert/strict";
import { longFunctions } from "../tools/function_lengths.ts";

const LIMIT = 80;

async function* libFiles(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory && e.name !== "vendor") yield* libFiles(url);
    else if (e.name.endsWith(".ts")) yield url;
  }
}

Deno.test(`no function in lib/ is over ${LIMIT} lines`, async () => {
  const long: string[] = [];
  for await (const file of libFiles(new URL("../../lib/", import.meta.url))) {
    for (const [n, line, name] of longFunctions(await Deno.readTextFile(file), LIMIT)) {
      long.push(`${file.pathname.split("/lib/")[1]}:${line} ${name} (${n} lines)`);
    }
  }
  assert.deepEqual(long, []);
});

Deno.test("longFunctions() finds a long function and skips a short one", () => {
  const body = Array.from({ length: 90 }, (_, i) => `  const a${i} = ${i};`).join("\n");
  const text =
    `export function long(): void {\n${body}\n}\n\nfunction short() {\n  return "}";\n}\n`;
  assert.deepEqual(longFunctions(text, LIMIT), [[92, 1, "long"]]);
});
