/**
 * Lists functions longer than N lines (default 80) in the given TypeScript
 * files, longest first: a brace-matching scan of declarations
 * (`function f`, `const f = (`, class methods), strings stripped. A yardstick
 * for "no function over about 80 lines", not a parser.
 *
 * ```sh
 * deno run --allow-read tests/tools/function_lengths.ts 80 $(git ls-files 'lib/*.ts' | grep -v vendor)
 * ```
 *
 * @module
 */

const DECLARATION =
  /^\s*(?:export\s+)?(?:async\s+)?function\*?\s+(\w+)|^\s*(?:export\s+)?const\s+(\w+)\s*=\s*(?:async\s*)?\(|^\s{2}(?:async\s+)?(\w+)\s*\([^)]*\)\s*(?::\s*[^{]+)?\{\s*$/;
const STRINGS = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g;

/** Functions of `text` longer than `limit` lines: `[lines, startLine, name]`. */
export function longFunctions(text: string, limit: number): [number, number, string][] {
  const lines = text.split("\n");
  const found: [number, number, string][] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i]!.match(DECLARATION);
    if (!m) continue;
    let depth = 0;
    let started = false;
    let j = i;
    for (; j < lines.length; j++) {
      for (const ch of lines[j]!.replace(STRINGS, "")) {
        if (ch === "{") [depth, started] = [depth + 1, true];
        else if (ch === "}") depth--;
      }
      if (started && depth <= 0) break;
    }
    const length = j - i + 1;
    if (length > limit) found.push([length, i + 1, m[1] ?? m[2] ?? m[3] ?? "?"]);
  }
  return found;
}

if (import.meta.main) {
  const limit = Number(Deno.args[0] ?? 80);
  const rows = Deno.args.slice(1).flatMap((file) =>
    longFunctions(Deno.readTextFileSync(file), limit).map(([n, line, name]) =>
      [n, `${n}\t${file}:${line}\t${name}`] as const
    )
  );
  for (const [, row] of rows.sort((a, b) => b[0] - a[0])) console.log(row);
}
