/**
 * The README and the pages under docs/ hold together: every relative link
 * points at a file that exists, every anchor (`page.md#section`, `#section`)
 * at a heading of that page (GitHub's heading ids), and every `lib/` or
 * `tests/` path they name in code exists. Links to other sites are not
 * fetched.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

/**
 * Pages another branch adds: a link to one of them may point nowhere until
 * that branch is merged. Once the page exists its entry must go (a test
 * below fails until it does), so the list cannot hide a broken link for long.
 */
const PENDING = new Set<string>();

/** A problem found in one markdown file. */
interface Broken {
  file: string;
  target: string;
  why: string;
}

/** Lines outside fenced code blocks, with inline code spans blanked out. */
function proseLines(text: string): string[] {
  const out: string[] = [];
  let fence = false;
  for (const line of text.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      fence = !fence;
      continue;
    }
    if (!fence) out.push(line.replace(/`[^`]*`/g, (m) => " ".repeat(m.length)));
  }
  return out;
}

/** GitHub's id for a heading's text: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors a markdown page offers, with GitHub's -1, -2 suffixes for repeated headings. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  let fence = false;
  for (const line of text.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const m = fence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

/** Targets of inline links and images, outside code. */
function linkTargets(text: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(text)) {
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      targets.push(m[1]!);
    }
  }
  return targets;
}

/** `lib/...` and `tests/...` paths named inside code (spans and fenced blocks). */
function codePaths(text: string): string[] {
  const code = [...text.matchAll(/```[\s\S]*?```|`[^`\n]+`/g)].map((m) => m[0]).join("\n");
  return [...code.matchAll(/(?<![\w/.-])((?:lib|tests)\/[\w/.-]*\w)/g)].map((m) => m[1]!);
}

/** Joins a relative `target` to the folder of `file` (both relative to the repository root). */
function resolve(file: string, target: string): string {
  const parts = file.split("/").slice(0, -1);
  for (const part of target.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/");
}

/**
 * Every broken link, anchor and code path in `pages` (repository-relative
 * path -> text). `read` returns a file's text, `""` for a folder, or null
 * when nothing is there.
 */
function brokenLinks(
  pages: Map<string, string>,
  read: (path: string) => string | null,
  pending: ReadonlySet<string> = new Set(),
): Broken[] {
  const broken: Broken[] = [];
  for (const [file, text] of pages) {
    for (const target of linkTargets(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // another site, or mailto:
      const [path = "", anchor] = target.split("#", 2);
      const dest = path === "" ? file : resolve(file, decodeURIComponent(path));
      const body = pages.get(dest) ?? read(dest);
      if (body === null) {
        if (!pending.has(dest)) broken.push({ file, target, why: `${dest} does not exist` });
        continue;
      }
      if (anchor !== undefined && dest.endsWith(".md") && !anchors(body).has(anchor)) {
        broken.push({ file, target, why: `${dest} has no heading with id "${anchor}"` });
      }
    }
    for (const path of codePaths(text)) {
      if (read(path) === null) broken.push({ file, target: path, why: `${path} does not exist` });
    }
  }
  return broken;
}

function readFromDisk(path: string): string | null {
  try {
    const url = new URL(path, ROOT);
    return Deno.statSync(url).isDirectory ? "" : Deno.readTextFileSync(url);
  } catch {
    return null;
  }
}

function docPages(): Map<string, string> {
  const pages = new Map<string, string>([["README.md", readFromDisk("README.md") ?? ""]]);
  for (const entry of Deno.readDirSync(new URL("docs/", ROOT))) {
    if (entry.isFile && entry.name.endsWith(".md")) {
      pages.set(`docs/${entry.name}`, readFromDisk(`docs/${entry.name}`)!);
    }
  }
  return pages;
}

Deno.test("every relative link, anchor and code path in README.md and docs/*.md resolves", () => {
  const pages = docPages();
  assert.ok(pages.size > 5, `README.md and the docs pages were read (${[...pages.keys()]})`);
  const broken = brokenLinks(pages, readFromDisk, PENDING);
  assert.deepEqual(broken, [], broken.map((b) => `${b.file}: ${b.target}: ${b.why}`).join("\n"));
});

Deno.test("a pending page leaves the pending list once it exists", () => {
  for (const page of PENDING) {
    assert.equal(readFromDisk(page), null, `${page} exists now: remove it from PENDING`);
  }
});

Deno.test("the README stays a short page: under 20 KB, with an index of every docs page", () => {
  const readme = readFromDisk("README.md")!;
  assert.ok(new TextEncoder().encode(readme).length < 20_000, "README.md is under 20 KB");
  const linked = new Set(linkTargets(readme).map((t) => t.split("#")[0]));
  for (const page of docPages().keys()) {
    if (page !== "README.md") assert.ok(linked.has(page), `README.md links to ${page}`);
  }
});

Deno.test("brokenLinks() reports a missing file, a missing anchor and a missing code path", () => {
  const pages = new Map([
    ["README.md", "# Top\n\nSee [a](docs/a.md#usage), [b](docs/b.md), [top](#top), [x](#nope).\n"],
    [
      "docs/a.md",
      "# A\n\n## Usage\n\n## Usage\n\n[back](../README.md#top) [twice](#usage-1) [bad](#usage-2)\n" +
      "`lib/real.ts` and `lib/gone.ts`; [site](https://example.com/x.md#y)\n" +
      "```sh\n[not a link](nowhere.md)\ndeno run tests/gone_test.ts\n```\n",
    ],
  ]);
  const files = new Set(["lib/real.ts"]);
  const read = (p: string) => (files.has(p) ? "" : null);
  const found = brokenLinks(pages, read).map((b) => `${b.file} ${b.target}`);
  assert.deepEqual(found, [
    "README.md docs/b.md",
    "README.md #nope",
    "docs/a.md #usage-2",
    "docs/a.md lib/gone.ts",
    "docs/a.md tests/gone_test.ts",
  ]);
  assert.deepEqual(brokenLinks(pages, read, new Set(["docs/b.md"])).length, 4, "pending page");
});

Deno.test("slug() gives GitHub's heading ids", () => {
  assert.equal(slug("HTTPS (`--tls`)"), "https---tls");
  assert.equal(slug("One binary (`deno task compile`)"), "one-binary-deno-task-compile");
  assert.equal(slug("`run`: one phase against any endpoint"), "run-one-phase-against-any-endpoint");
  assert.equal(slug("What stands in for the @std packages"), "what-stands-in-for-the-std-packages");
  assert.equal(
    slug("Evidence: what makes the baseline slow"),
    "evidence-what-makes-the-baseline-slow",
  );
});
