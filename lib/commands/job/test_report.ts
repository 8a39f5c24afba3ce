/**
 * The functional tests' JUnit report (Deno's `--junit-path`), read back:
 * counts, each failure with its message in full, and the ignored tests.
 *
 * Regular expressions rather than an XML package: the report is Deno's own,
 * a fixed shape of `<testsuites>`, `<testsuite>`, `<testcase>` with an
 * optional `<failure message="...">text</failure>`, `<error>` or `<skipped/>`,
 * and the job must not load an XML parser for it. Steps count as tests, as
 * in the report's own `tests` attribute.
 *
 * @module
 */

/** A failed test: its name, its file and the runner's message in full. */
export interface TestFailure {
  name: string;
  file: string;
  message: string;
}

/** An ignored test (`ignore:`), by name and file. */
export interface IgnoredTest {
  name: string;
  file: string;
}

/** What a JUnit report says. */
export interface JunitSummary {
  passed: number;
  failed: number;
  ignored: number;
  failures: TestFailure[];
  ignoredTests: IgnoredTest[];
  /**
   * Seconds each test file's tests took (their `time` attributes summed), by file. A step
   * (Deno writes it as a `<testcase>` named "TEST > STEP" after its test) is inside its test's
   * time and is not added again.
   */
  fileSeconds: Record<string, number>;
}

const ENTITIES: Record<string, string> = {
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&apos;": "'",
  "&amp;": "&",
};

/** Undoes XML escaping (the five named entities and numeric ones). */
export function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-fA-F]+);/g, (m, body: string) => {
    if (body.startsWith("#x")) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith("#")) return String.fromCodePoint(Number(body.slice(1)));
    return ENTITIES[m] ?? m;
  });
}

const attrOf = (attrs: string, name: string): string | undefined => {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
  return m ? unescapeXml(m[1]!) : undefined;
};

/** Reads a JUnit report. Throws when it has no `<testsuites>` element. */
export function readJunit(xml: string): JunitSummary {
  const root = /<testsuites\b([^>]*)>/.exec(xml)?.[1];
  if (root === undefined) throw new Error("JUnit report has no <testsuites> element");
  const count = (name: string) => Number(attrOf(root, name) ?? "0");
  const failures: TestFailure[] = [];
  const ignoredTests: IgnoredTest[] = [];
  const fileSeconds: Record<string, number> = {};
  const testsOf = new Map<string, string[]>();
  const testcase = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of xml.matchAll(testcase)) {
    const name = attrOf(m[1]!, "name") ?? "";
    const file = attrOf(m[1]!, "classname") ?? "";
    const body = m[3] ?? "";
    // A step comes after its test, named "TEST > STEP": its time is already in the test's.
    const earlier = testsOf.get(file) ?? [];
    const isStep = earlier.some((test) => name.startsWith(`${test} > `));
    if (!isStep) {
      fileSeconds[file] = (fileSeconds[file] ?? 0) + Number(attrOf(m[1]!, "time") ?? "0");
    }
    testsOf.set(file, [...earlier, name]);
    if (/<skipped\b/.test(body)) ignoredTests.push({ name, file });
    const failure = /<(failure|error)\b([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/.exec(body);
    if (failure) {
      const text = unescapeXml(failure[4] ?? "").trim();
      failures.push({ name, file, message: text || (attrOf(failure[2]!, "message") ?? "") });
    }
  }
  const failed = count("failures") + count("errors");
  // Deno's root element has no `skipped` attribute: an ignored test is a <testcase> holding
  // <skipped/>, counted neither as passed nor as failed.
  const ignored = root.includes("skipped=") ? count("skipped") : ignoredTests.length;
  const passed = count("tests") - failed - ignored;
  return { passed, failed, ignored, failures, ignoredTests, fileSeconds };
}
