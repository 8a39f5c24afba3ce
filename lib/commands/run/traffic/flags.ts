/**
 * `run`'s traffic flags: `--trace FILE` (Mooncake / AIPerf JSONL, Azure or
 * BurstGPT CSV, loadgate JSONL), `--trace-format`, `--trace-speed`,
 * `--trace-start`, `--trace-duration`, and `--max-send-lag`, the fidelity
 * check of any open loop. One spec, spread into RUN_FLAGS, and its parser.
 *
 * @module
 */

import { choice, type FlagSpec, type FlagValues, num, str } from "../../../base/flags.ts";
import { UsageError } from "../../../base/errors.ts";
import { TRACE_FORMATS } from "../../../workload/trace/entry.ts";
import { durationFlag } from "../../shared/flags/duration.ts";
import type { TraceOptions } from "./options.ts";
import { parseSharedPrefix, type SharedPrefixSpec } from "../../../workload/shared_prefix.ts";

/** The traffic flags, to spread into RUN_FLAGS. */
export const TRAFFIC_FLAGS: FlagSpec = {
  trace: {
    type: "string",
    arg: "FILE",
    help: "--api: replay a trace on its own clock (open loop): Mooncake\n" +
      "JSONL, Azure or BurstGPT CSV, loadgate JSONL (docs/llm.md)",
  },
  "trace-format": {
    type: "string",
    arg: "F",
    help: `--trace: ${TRACE_FORMATS.join(", ")} (default: detected)`,
  },
  "trace-speed": {
    type: "string",
    arg: "X",
    help: "--trace: replay X times as fast (default 1)",
  },
  "trace-start": {
    type: "string",
    arg: "D",
    help: "--trace: skip the trace's first D (30s, 5m; default 0)",
  },
  "trace-duration": {
    type: "string",
    arg: "D",
    help: "--trace: replay D of the trace's time from its start",
  },
  "shared-prefix": {
    type: "string",
    arg: "SPEC",
    help: "--synthetic: 'groups=G,tokens=P': each prompt starts with one of\n" +
      "G shared prefixes of P tokens, drawn from --seed",
  },
  steady: {
    type: "boolean",
    help: "judge the SLA on the steady window (warm-up and drain cut\n" +
      "by MSER-5; both are always reported)",
  },
  "max-send-lag": {
    type: "string",
    arg: "MS",
    help: "open loop: fail the check when a request left more than MS\n" +
      "after its scheduled time (the client could not keep up)",
  },
};

const TRACE_ONLY = ["trace-format", "trace-speed", "trace-start", "trace-duration"] as const;
/** Flags that choose another workload or schedule than the trace's. */
const NOT_WITH_TRACE = ["rate", "stages", "dataset", "synthetic", "duration", "requests"] as const;

/** Parses `--trace` and its companions; null without `--trace`. Throws {@linkcode UsageError}. */
export function parseTraceFlags(values: FlagValues): TraceOptions | null {
  if (values.trace === undefined) {
    for (const flag of TRACE_ONLY) {
      if (values[flag] !== undefined) throw new UsageError(`Cannot use --${flag} without --trace`);
    }
    return null;
  }
  if (values.api === undefined || values.api === "raw") {
    throw new UsageError("Cannot use --trace without --api openai-chat|openai-completions");
  }
  for (const flag of NOT_WITH_TRACE) {
    if (values[flag] !== undefined) {
      throw new UsageError(
        `Cannot use --${flag} with --trace (the trace sets the requests and times)`,
      );
    }
  }
  const path = str(values, "trace", "");
  if (path === "") throw new UsageError("Cannot parse --trace: it is empty");
  return {
    path,
    format: values["trace-format"] === undefined
      ? null
      : choice(values, "trace-format", TRACE_FORMATS, "mooncake"),
    speed: num(values, "trace-speed", 1),
    startMs: values["trace-start"] === undefined ? 0 : durationFlag(values, "trace-start", "s")!,
    durationMs: durationFlag(values, "trace-duration", "s"),
  };
}

/** `--max-send-lag MS`, or null. */
export function parseMaxSendLag(values: FlagValues): number | null {
  return values["max-send-lag"] === undefined ? null : num(values, "max-send-lag", 0, true);
}

/** `--shared-prefix 'groups=G,tokens=P'` (with `--synthetic`), or null. */
export function parseSharedPrefixFlag(values: FlagValues, seed: number): SharedPrefixSpec | null {
  if (values["shared-prefix"] === undefined) return null;
  if (values.synthetic === undefined || values.turns !== undefined) {
    throw new UsageError("Cannot use --shared-prefix without --synthetic (single-turn prompts)");
  }
  return parseSharedPrefix(str(values, "shared-prefix", ""), seed);
}
