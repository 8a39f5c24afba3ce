import assert from "node:assert/strict";
import { renderJunit, xmlEscape } from "../../lib/report/junit.ts";
import type { GateCheck, GateThreshold } from "../../lib/report/gate_results.ts";
import { ignoredBecause, optionalImport } from "../_interop_tools.ts";

const XMLLINT = "npm:xmllint-wasm@5.3.0";
type Xmllint = {
  validateXML(o: {
    xml: { fileName: string; contents: string }[];
    schema: { fileName: string; contents: string }[];
  }): Promise<{ valid: boolean; errors: { message: string }[] }>;
};
const XSD = Deno.readTextFileSync(new URL("../fixtures/junit_required.xsd", import.meta.url));
const xmllint = await usableXmllint();

/**
 * The validator, or why it cannot run: it reads its .wasm from Deno's npm
 * cache, outside ".", so it is tried once on a tiny document here.
 */
async function usableXmllint(): Promise<Xmllint | string> {
  const loaded = await optionalImport<Xmllint>(XMLLINT);
  if (typeof loaded === "string") return loaded;
  try {
    await loaded.validateXML({
      xml: [{ fileName: "probe.xml", contents: "<testsuites/>" }],
      schema: [{ fileName: "junit.xsd", contents: XSD }],
    });
    return loaded;
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return `${XMLLINT} cannot read its .wasm from Deno's npm cache (${why}): ` +
      "allow reading that folder (deno info --json: npmCache), as deno task test does";
  }
}

const thresholds: GateThreshold[] = [
  { expr: "p95<=800", op: "<=", value: 800, actual: 912.3456, pass: false },
  { expr: "error_rate<=0", op: "<=", value: 0, actual: 0, pass: true },
  { expr: "p99<=1000", op: "<=", value: 1000, actual: null, pass: false },
];
const checks: GateCheck[] = [
  { name: "outputs_identical", state: "ok", detail: "20 outputs compared, all identical" },
  { name: "conditions_match", state: "failed", detail: 'concurrency: 4 vs 8 <"quoted">' },
  { name: "inputs_identical", state: "not_made", detail: "the log has no input digests" },
];

async function validate(xml: string): Promise<string[]> {
  const result = await (xmllint as Xmllint).validateXML({
    xml: [{ fileName: "junit.xml", contents: xml }],
    schema: [{ fileName: "junit.xsd", contents: XSD }],
  });
  return result.valid ? [] : result.errors.map((e) => e.message);
}

const NAME_VALID = "renderJunit() output validates against the JUnit schema's required structure";
Deno.test({
  name: NAME_VALID,
  ignore: ignoredBecause(xmllint, NAME_VALID),
  async fn() {
    assert.deepEqual(
      await validate(renderJunit({ suite: "loadgate.compare", thresholds, checks })),
      [],
    );
    assert.deepEqual(
      await validate(renderJunit({ suite: "empty", thresholds: [], checks: [] })),
      [],
    );
    // The validator can fail: a testcase without a name is refused.
    const broken = renderJunit({ suite: "s", thresholds, checks }).replace(
      / name="p95&lt;=800"/,
      "",
    );
    assert.notDeepEqual(await validate(broken), []);
  },
});

Deno.test("renderJunit() has one test case per threshold and per check, failures with measured value and threshold", () => {
  const xml = renderJunit({
    suite: "loadgate.run",
    thresholds,
    checks,
    timestamp: "2026-12-01T00:00:00Z",
    timeS: 1.5,
  });
  assert.equal((xml.match(/<testcase /g) ?? []).length, 6);
  assert.match(
    xml,
    /<testsuite name="loadgate.run" tests="6" failures="3" errors="0" skipped="1" time="1.500" timestamp="2026-12-01T00:00:00Z">/,
  );
  assert.match(
    xml,
    /name="p95&lt;=800" time="0">\n\s+<failure message="measured 912.346, threshold &lt;= 800" type="sla">/,
  );
  assert.match(
    xml,
    /name="p99&lt;=1000" time="0">\n\s+<failure message="nothing measured, threshold &lt;= 1000"/,
  );
  assert.match(xml, /classname="loadgate.run.sla" name="error_rate&lt;=0" time="0"\/>/);
  assert.match(
    xml,
    /<failure message="concurrency: 4 vs 8 &lt;&quot;quoted&quot;&gt;" type="check">/,
  );
  assert.match(
    xml,
    /name="inputs_identical" time="0">\n\s+<skipped message="not made: the log has no input digests">/,
  );
});

Deno.test("renderJunit() with requireChecks turns a check not made into a failure", () => {
  const xml = renderJunit({ suite: "s", thresholds: [], checks, requireChecks: true });
  assert.match(xml, /tests="3" failures="2" errors="0" skipped="0"/);
  assert.match(xml, /<failure message="not made: the log has no input digests" type="check">/);
});

Deno.test("xmlEscape() escapes markup and drops characters XML cannot hold", () => {
  assert.equal(xmlEscape(`a<b>&"c"'\u0001`), "a&lt;b&gt;&amp;&quot;c&quot;&apos;");
});

const FXP = "npm:fast-xml-parser@5.3.2";
type Fxp = {
  XMLValidator: { validate(xml: string): true | { err: { msg: string } } };
  XMLParser: new (o: object) => { parse(xml: string): Record<string, Node[]> };
};
type Node = Record<string, Node[] | string>;
const fxp = await optionalImport<Fxp>(FXP);

/** The schema's required structure, checked on the parsed document; returns what breaks it. */
function structureErrors(xml: string): string[] {
  const { XMLValidator, XMLParser } = fxp as Fxp;
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) return [`not well-formed: ${wellFormed.err.msg}`];
  const doc = new XMLParser({ ignoreAttributes: false, isArray: () => true }).parse(xml);
  const errors: string[] = [];
  const attr = (n: Node, a: string) => (n[`@_${a}`] as unknown as string[] | undefined)?.[0];
  const roots = Object.keys(doc).filter((k) => k !== "?xml");
  if (roots.join() !== "testsuites") errors.push(`root is ${roots.join()}, not testsuites`);
  for (const suite of (doc.testsuites?.[0]?.testsuite ?? []) as Node[]) {
    for (const a of ["name", "tests", "failures", "errors"]) {
      if (attr(suite, a) === undefined) errors.push(`testsuite without ${a}`);
    }
    const cases = (suite.testcase ?? []) as Node[];
    if (attr(suite, "tests") !== String(cases.length)) {
      errors.push("tests does not count the cases");
    }
    const failed = cases.filter((c) => c.failure).length;
    if (attr(suite, "failures") !== String(failed)) errors.push("failures does not count them");
    for (const c of cases) {
      if (!attr(c, "name") || !attr(c, "classname")) errors.push("testcase without name/classname");
      const children = Object.keys(c).filter((k) => !k.startsWith("@_"));
      const allowed = ["failure", "error", "skipped", "system-out", "system-err"];
      for (const k of children) if (!allowed.includes(k)) errors.push(`testcase holds <${k}>`);
    }
  }
  return errors;
}

const NAME_STRUCTURE = "renderJunit() output has the required structure, read with an XML parser";
Deno.test({
  name: NAME_STRUCTURE,
  ignore: ignoredBecause(fxp, NAME_STRUCTURE),
  fn() {
    assert.deepEqual(
      structureErrors(renderJunit({ suite: "loadgate.job", thresholds, checks })),
      [],
    );
    const broken = renderJunit({ suite: "s", thresholds, checks }).replace(
      / name="p95&lt;=800"/,
      "",
    );
    assert.deepEqual(structureErrors(broken), ["testcase without name/classname"]);
  },
});
