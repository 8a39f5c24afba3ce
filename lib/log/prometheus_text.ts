/**
 * A parser of the Prometheus text exposition format (version 0.0.4, what
 * vLLM's `/metrics` serves): `# HELP` and `# TYPE` lines, then samples
 * `name{label="value",...} value [timestamp_ms]`. Samples are grouped into
 * families; a histogram's or summary's `_bucket`, `_sum` and `_count` (and a
 * counter's `_total`) join the family their `# TYPE` named.
 *
 * @example
 * ```ts
 * const families = parsePrometheusText(
 *   '# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{model_name="m"} 3\n',
 * );
 * families[0]!.samples[0]!.value; // 3
 * ```
 *
 * @module
 */

/** A metric family's type. */
export type PrometheusType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

/** One sample line. */
export interface PrometheusSample {
  /** The sample's own name (`x_bucket` for a histogram `x`). */
  name: string;
  labels: Record<string, string>;
  value: number;
  /** The optional timestamp, ms since the epoch. */
  timestampMs?: number;
}

/** A family: the samples under one `# TYPE`. */
export interface PrometheusFamily {
  name: string;
  type: PrometheusType;
  help: string;
  samples: PrometheusSample[];
}

const TYPES: readonly PrometheusType[] = ["counter", "gauge", "histogram", "summary", "untyped"];
const SUFFIXES: Readonly<Record<PrometheusType, readonly string[]>> = {
  counter: ["_total", "_created"],
  gauge: [],
  histogram: ["_bucket", "_sum", "_count", "_created"],
  summary: ["_sum", "_count", "_created"],
  untyped: [],
};

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/** Parses exposition text. Throws a `SyntaxError` naming the line of a malformed sample. */
export function parsePrometheusText(text: string): PrometheusFamily[] {
  const families = new Map<string, PrometheusFamily>();
  const family = (name: string): PrometheusFamily => {
    let f = families.get(name);
    if (!f) families.set(name, f = { name, type: "untyped", help: "", samples: [] });
    return f;
  };
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    if (line.startsWith("#")) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!m) return; // a comment
      const f = family(m[2]!);
      if (m[1] === "HELP") f.help = unescapeHelp(m[3] ?? "");
      else f.type = TYPES.includes(m[3] as PrometheusType) ? m[3] as PrometheusType : "untyped";
      return;
    }
    const sample = parseSample(line, i + 1);
    family(familyOf(sample.name, families)).samples.push(sample);
  });
  return [...families.values()].filter((f) => f.samples.length > 0);
}

function familyOf(name: string, families: Map<string, PrometheusFamily>): string {
  if (families.has(name)) return name;
  for (const [fname, f] of families) {
    for (const suffix of SUFFIXES[f.type]) if (name === fname + suffix) return fname;
  }
  return name;
}

function parseSample(line: string, lineNo: number): PrometheusSample {
  const fail = (why: string): never => {
    const shown = line.length > 60 ? `${line.slice(0, 60)}...` : line;
    throw new SyntaxError(`Cannot parse metrics line ${lineNo}: "${shown}" ${why}`);
  };
  const name = NAME.exec(line)?.[0] ?? fail("has no metric name");
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === "{") {
    at = parseLabels(line, at + 1, labels, fail);
  }
  const rest = line.slice(at).trim().split(/\s+/);
  if (rest[0] === "") fail("has no value");
  if (rest.length > 2) fail("has more than a value and a timestamp");
  const value = parseValue(rest[0]!) ?? fail(`has the value "${rest[0]}", not a number`);
  const sample: PrometheusSample = { name, labels, value };
  if (rest[1] !== undefined) {
    const ts = Number(rest[1]);
    if (!Number.isFinite(ts)) fail(`has the timestamp "${rest[1]}", not a number`);
    sample.timestampMs = ts;
  }
  return sample;
}

/** Reads `a="x",b="y"}` from `at`; returns the index after the `}`. */
function parseLabels(
  line: string,
  at: number,
  labels: Record<string, string>,
  fail: (why: string) => never,
): number {
  for (;;) {
    while (line[at] === " " || line[at] === ",") at++;
    if (line[at] === "}") return at + 1;
    const key = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(at))?.[0] ?? fail("has a bad label name");
    at += key.length;
    if (line[at] !== "=" || line[at + 1] !== '"') fail(`has label ${key} without ="value"`);
    at += 2;
    let value = "";
    for (;;) {
      const c = line[at++];
      if (c === undefined) fail("has an unterminated label value");
      if (c === '"') break;
      if (c === "\\") {
        const e = line[at++];
        value += e === "n" ? "\n" : e ?? "";
      } else value += c;
    }
    labels[key] = value;
  }
}

function parseValue(s: string): number | null {
  if (s === "+Inf" || s === "Inf") return Infinity;
  if (s === "-Inf") return -Infinity;
  if (s === "NaN") return NaN;
  const v = Number(s);
  return s !== "" && !Number.isNaN(v) ? v : null;
}

function unescapeHelp(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

/** A sample's series key: `name{a="x",b="y"}` with labels sorted, `name` without labels. */
export function seriesKey(sample: PrometheusSample): string {
  const keys = Object.keys(sample.labels).sort();
  if (keys.length === 0) return sample.name;
  const body = keys.map((k) => `${k}=${JSON.stringify(sample.labels[k])}`).join(",");
  return `${sample.name}{${body}}`;
}
