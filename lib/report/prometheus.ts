/**
 * Prometheus text exposition (format 0.0.4) of run summaries: every numeric
 * summary field as a gauge `loadgate_<field>` labelled with the phase and the
 * target, failures by kind as `loadgate_errors{kind}`, and, when given, each
 * threshold as `loadgate_sla_pass{threshold}` (1 or 0). What node_exporter's
 * textfile collector and the Pushgateway accept: one `# HELP` and `# TYPE`
 * line per metric family, its samples together, label values escaped, a
 * final newline.
 *
 * @example
 * ```ts
 * renderPrometheus({ phases: [{ phase: "optimized", target: "stub", summary: { p95: 12.5 } }] });
 * // # HELP loadgate_p95 ...\n# TYPE loadgate_p95 gauge\nloadgate_p95{phase="optimized",target="stub"} 12.5\n
 * ```
 *
 * @module
 */

import type { GateThreshold } from "./gate_results.ts";

/** One phase's summary and where it ran. */
export interface PromPhase {
  phase: string;
  /** The endpoint measured, for example its URL or `stub`. */
  target: string;
  /** Summary fields; numeric ones become gauges, `errors` (kind -> count) a labelled family. */
  summary: object;
}

/** What {@linkcode renderPrometheus} renders. */
export interface PromInput {
  phases: readonly PromPhase[];
  /** Thresholds of the gate, each as `loadgate_sla_pass` (labelled with the last phase). */
  thresholds?: readonly GateThreshold[];
}

/** Field descriptions for HELP lines; any other field gets a generic one. */
const HELP: Record<string, string> = {
  requests: "Requests measured in the phase",
  ok: "Requests that succeeded (2xx, complete body)",
  failed: "Requests that failed",
  error_rate: "Failed requests / requests",
  p50: "Median latency over all requests, ms",
  p95: "95th percentile latency over all requests, ms",
  p99: "99th percentile latency over all requests, ms",
  mean: "Mean latency, ms",
  max: "Largest latency, ms",
  min: "Smallest latency, ms",
  throughput: "Requests completed per second",
  duration_s: "First send to last completion, s",
};

/** A metric name made of the characters the format allows. */
export function metricName(field: string): string {
  return `loadgate_${field.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

/** A label value escaped as the format requires (backslash, double quote, newline). */
export function labelValue(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function value(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}

function labels(pairs: Record<string, string>): string {
  const body = Object.entries(pairs).map(([k, v]) => `${k}="${labelValue(v)}"`).join(",");
  return `{${body}}`;
}

function family(name: string, help: string, samples: string[]): string[] {
  return samples.length === 0 ? [] : [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...samples];
}

/** The text exposition of `input`, ending in a newline. */
export function renderPrometheus(input: PromInput): string {
  const fields: string[] = [];
  for (const p of input.phases) {
    for (const [k, v] of Object.entries(p.summary as Record<string, unknown>)) {
      if (typeof v === "number" && !fields.includes(k)) fields.push(k);
    }
  }
  const lines: string[] = [];
  for (const field of fields) {
    const name = metricName(field);
    const samples = input.phases.flatMap((p) => {
      const v = (p.summary as Record<string, unknown>)[field];
      return typeof v === "number"
        ? [`${name}${labels({ phase: p.phase, target: p.target })} ${value(v)}`]
        : [];
    });
    lines.push(...family(name, HELP[field] ?? `loadgate summary field ${field}`, samples));
  }
  const errorSamples = input.phases.flatMap((p) => {
    const errors = (p.summary as Record<string, unknown>).errors;
    if (typeof errors !== "object" || errors === null) return [];
    return Object.entries(errors as Record<string, unknown>)
      .filter(([, n]) => typeof n === "number")
      .map(([kind, n]) =>
        `loadgate_errors${labels({ phase: p.phase, target: p.target, kind })} ${value(n as number)}`
      );
  });
  lines.push(...family("loadgate_errors", "Failed requests by kind", errorSamples));
  const last = input.phases.at(-1);
  const slaSamples = (input.thresholds ?? []).map((t) =>
    `loadgate_sla_pass${
      labels({ phase: last?.phase ?? "", target: last?.target ?? "", threshold: t.expr })
    } ${t.pass ? 1 : 0}`
  );
  lines.push(...family("loadgate_sla_pass", "1 when the SLA threshold held, else 0", slaSamples));
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}
