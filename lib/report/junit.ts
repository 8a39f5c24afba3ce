/**
 * JUnit XML of a gate: one test case per SLA threshold and per check, so CI
 * test reporters show the gate beside the unit tests. A missed threshold is a
 * `<failure>` carrying the measured value and the threshold; a failed check a
 * `<failure>` with its detail; a check not made is `<skipped>`, or a failure
 * when checks are required. The structure is the one JUnit consumers require
 * (Ant, Surefire, Jenkins): `testsuites > testsuite[name tests failures
 * errors] > testcase[name classname]`.
 *
 * @example
 * ```ts
 * renderJunit({
 *   suite: "loadgate.compare",
 *   thresholds: [{ expr: "p95<=800", op: "<=", value: 800, actual: 912.5, pass: false }],
 *   checks: [{ name: "inputs_identical", state: "not_made", detail: "foreign log" }],
 * });
 * ```
 *
 * @module
 */

import type { GateCheck, GateThreshold } from "./gate_results.ts";

/** What {@linkcode renderJunit} renders. */
export interface JunitInput {
  /** The test suite's name, for example `loadgate.run`. */
  suite: string;
  thresholds: readonly GateThreshold[];
  checks: readonly GateCheck[];
  /** A check not made fails instead of being skipped (`--require-checks`). */
  requireChecks?: boolean;
  /** ISO 8601 start time of the run, when known. */
  timestamp?: string;
  /** The run's duration in seconds. */
  timeS?: number;
}

/** Escapes text for an XML attribute or element. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${XML_ENTITIES[c]};`)
    // Characters XML 1.0 cannot hold at all.
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "");
}

const XML_ENTITIES: Record<string, string> = {
  "&": "amp",
  "<": "lt",
  ">": "gt",
  '"': "quot",
  "'": "apos",
};

function measured(t: GateThreshold): string {
  return t.actual === null ? "nothing measured" : `measured ${Math.round(t.actual * 1000) / 1000}`;
}

interface Case {
  classname: string;
  name: string;
  outcome: "" | "failure" | "skipped";
  message: string;
}

function cases(input: JunitInput): Case[] {
  const list: Case[] = input.thresholds.map((t) => ({
    classname: `${input.suite}.sla`,
    name: t.expr,
    outcome: t.pass ? "" : "failure",
    message: t.pass ? "" : `${measured(t)}, threshold ${t.op} ${t.value}`,
  }));
  for (const c of input.checks) {
    const notMade = c.state === "not_made";
    list.push({
      classname: `${input.suite}.check`,
      name: c.name,
      outcome: c.state === "ok" ? "" : notMade && !input.requireChecks ? "skipped" : "failure",
      message: notMade ? `not made: ${c.detail}` : c.detail,
    });
  }
  return list;
}

/** The JUnit XML document of a gate. */
export function renderJunit(input: JunitInput): string {
  const all = cases(input);
  const failures = all.filter((c) => c.outcome === "failure").length;
  const skipped = all.filter((c) => c.outcome === "skipped").length;
  const time = (input.timeS ?? 0).toFixed(3);
  const a = xmlEscape;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="loadgate" tests="${all.length}" failures="${failures}" errors="0" time="${time}">`,
    `  <testsuite name="${
      a(input.suite)
    }" tests="${all.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}"${
      input.timestamp ? ` timestamp="${a(input.timestamp)}"` : ""
    }>`,
  ];
  for (const c of all) {
    const open = `    <testcase classname="${a(c.classname)}" name="${a(c.name)}" time="0"`;
    if (c.outcome === "") {
      lines.push(`${open}/>`);
      continue;
    }
    const type = c.classname.endsWith(".sla") ? "sla" : "check";
    lines.push(`${open}>`);
    lines.push(
      `      <${c.outcome} message="${a(c.message)}"${
        c.outcome === "failure" ? ` type="${type}"` : ""
      }>${a(c.message)}</${c.outcome}>`,
    );
    lines.push(`    </testcase>`);
  }
  lines.push(`  </testsuite>`, `</testsuites>`, ``);
  return lines.join("\n");
}
