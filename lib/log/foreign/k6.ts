/**
 * k6's outputs, one `http_req_duration` point per request.
 *
 * - CSV (`k6 run --out csv=FILE`): `metric_name,timestamp,metric_value,` then
 *   one column per system tag (`check,error,error_code,expected_response,
 *   group,method,name,proto,scenario,service,status,subproto,tls_version,url`
 *   by default), `extra_tags,metadata`; the timestamp in Unix seconds by
 *   default (`K6_CSV_TIME_FORMAT`: unix, unix_milli, unix_micro, unix_nano,
 *   rfc3339), the value in ms.
 * - JSON (`k6 run --out json=FILE`): one object a line; points are
 *   `{"type":"Point","metric":"http_req_duration","data":{"time":RFC3339,
 *   "value":ms,"tags":{...}}}`.
 *
 * A point's time is when k6 recorded it, at the request's end: the send is
 * that time minus the duration. A request is ok when its `expected_response`
 * tag is `true` (k6's default: status 200-399); without the tag, when its
 * status is 200-399.
 *
 * @module
 */

import type { ForeignLog, ReadOptions } from "./foreign_log.ts";
import { foreignLog, foreignSample } from "./foreign_log.ts";
import { errorKindOf, numberField, statusField } from "./fields.ts";
import { columnsOf, csvTable } from "./csv_table.ts";
import { epochMs, rfc3339Ms } from "./time_stamp.ts";
import { UsageError } from "../../base/errors.ts";
import type { Sample } from "../../stats/sample.ts";

const METRIC = "http_req_duration";

interface K6Point {
  timeMs: number;
  valueMs: number;
  tags: Record<string, string | undefined>;
}

function toSample(p: K6Point, i: number, phase: string): Sample {
  const status = statusField(p.tags.status);
  const expected = p.tags.expected_response;
  const ok = expected === "true" ||
    (expected !== "false" && status !== null && status >= 200 && status < 400);
  const kind = ok ? "" : errorKindOf(status, p.tags.error ?? "") || "body";
  return foreignSample(phase, i, {
    sentMs: p.timeMs - p.valueMs,
    latencyMs: p.valueMs,
    status,
    error: kind,
  });
}

function done(points: K6Point[], format: "k6-csv" | "k6-json", options: ReadOptions): ForeignLog {
  if (points.length === 0) {
    throw new UsageError(
      `Cannot read "${options.name}" as k6 ${format === "k6-csv" ? "CSV" : "JSON"}: ` +
        `expected ${METRIC} points, found none`,
    );
  }
  return foreignLog(format, points.map((p, i) => toSample(p, i, options.phase)), {
    notes: format === "k6-csv"
      ? ["send times from k6's CSV timestamps (whole seconds unless K6_CSV_TIME_FORMAT is finer)"]
      : [],
  });
}

/** Reads k6's CSV output. Throws {@linkcode UsageError} naming the file and line. */
export function readK6Csv(text: string, options: ReadOptions): ForeignLog {
  const { header, rows } = csvTable(text, options.name);
  const col = columnsOf(
    header,
    ["metric_name", "timestamp", "metric_value"],
    "k6 CSV",
    options.name,
  );
  const tagCols = header.map((h, i) => [h, i] as const).slice(3);
  const points: K6Point[] = [];
  rows.forEach((row, i) => {
    if (row[col.metric_name] !== METRIC) return;
    const where = `"${options.name}" line ${i + 2}`;
    const timeMs = epochMs(row[col.timestamp] ?? "");
    if (!Number.isFinite(timeMs)) {
      throw new UsageError(`Cannot read ${where}: timestamp has "${row[col.timestamp]}"`);
    }
    const tags: Record<string, string> = {};
    for (const [h, c] of tagCols) tags[h] = row[c] ?? "";
    points.push({
      timeMs,
      valueMs: numberField(row[col.metric_value], "metric_value", where),
      tags,
    });
  });
  return done(points, "k6-csv", options);
}

/** Reads k6's JSON output (one object a line). Throws {@linkcode UsageError} naming the line. */
export function readK6Json(text: string, options: ReadOptions): ForeignLog {
  const points: K6Point[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `"${options.name}" line ${i + 1}`;
    let obj: { type?: unknown; metric?: unknown; data?: Record<string, unknown> };
    try {
      obj = JSON.parse(line);
    } catch {
      throw new UsageError(`Cannot read ${where}: not a JSON object (k6 JSON has one a line)`);
    }
    if (obj?.type !== "Point" || obj.metric !== METRIC) return;
    const data = obj.data ?? {};
    const timeMs = typeof data.time === "string" ? rfc3339Ms(data.time) : NaN;
    if (!Number.isFinite(timeMs)) {
      throw new UsageError(`Cannot read ${where}: data.time has "${String(data.time)}"`);
    }
    const tags = (typeof data.tags === "object" && data.tags !== null ? data.tags : {}) as Record<
      string,
      string
    >;
    points.push({ timeMs, valueMs: numberField(data.value, "data.value", where), tags });
  });
  return done(points, "k6-json", options);
}
