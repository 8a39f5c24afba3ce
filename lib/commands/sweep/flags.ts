/**
 * `loadgate sweep`: its own flags, the `run` flags every step shares, the
 * help generated from both, and the parser. The shared flags are parsed by
 * `run`'s own parser (lib/commands/run/flags.ts), so a sweep step checks and
 * builds its options exactly as `run` does, the SLA parsed once.
 *
 * @module
 */

import { type FlagSpec, type FlagValues, int, num, parseFlags } from "../../base/flags.ts";
import { UsageError } from "../../base/errors.ts";
import { checkSearch, parseRates } from "./capacity.ts";
import type { SweepMode, SweepOptions } from "./options.ts";
import { parseRunArgs, RUN_FLAGS } from "../run/flags.ts";
import { runSeries } from "../run/command.ts";
import { HELP_FLAG } from "../shared/flags/common.ts";

/** Flags of `sweep` itself. */
export const SWEEP_OWN_FLAGS: FlagSpec = {
  rates: { type: "string", arg: "R,R,...", help: "open-loop steps at these rates, ascending" },
  search: {
    type: "boolean",
    help: "search for the highest rate meeting every --sla (bisection\n" +
      "between --min-rate and --max-rate; needs --sla)",
  },
  "min-rate": { type: "string", arg: "R", help: "--search: lowest rate" },
  "max-rate": { type: "string", arg: "R", help: "--search: highest rate" },
  resolution: {
    type: "string",
    arg: "R",
    help: "--search: stop when capacity is bracketed this finely\n(default 1% of --max-rate)",
  },
  "sweep-concurrency": {
    type: "string",
    arg: "C,C,...",
    help: "closed-loop steps at these concurrencies, ascending",
  },
  "step-duration": { type: "string", arg: "S", help: "each step runs S seconds (default 10)" },
  "step-requests": { type: "string", arg: "N", help: "each step sends N measured requests" },
  "cool-down": { type: "string", arg: "S", help: "pause between steps, seconds (default 1)" },
  "min-capacity": {
    type: "string",
    arg: "R",
    help: "fail (exit 1) when the capacity at the SLA is below R\n" +
      "(req/s; workers with --sweep-concurrency)",
  },
};

/** `run` flags a sweep does not take: each step sets them. */
const STEP_SET = ["rate", "requests", "duration", "phase", "stages", "help"];

/** The `run` flags every step shares. */
const SHARED_FLAGS: FlagSpec = Object.fromEntries(
  Object.entries(RUN_FLAGS).filter(([name]) => !STEP_SET.includes(name)),
);

/** Every flag of `sweep`, for the help. */
export const SWEEP_FLAGS: FlagSpec = {
  ...SWEEP_OWN_FLAGS,
  ...SHARED_FLAGS,
  warmup: { ...RUN_FLAGS.warmup!, help: "warm-up requests before each step (default 5)" },
  concurrency: {
    ...RUN_FLAGS.concurrency!,
    help: "workers of each step's warm-up (default 8)",
  },
  out: { ...RUN_FLAGS.out!, help: "output folder (default results/sweep)" },
  ...HELP_FLAG,
};

/** Usage line of `sweep`. */
export const SWEEP_USAGE =
  "loadgate sweep --url URL (--rates R,... | --search --min-rate A --max-rate B | --sweep-concurrency C,...) [options]";

/** Notes under the flags of `sweep --help`. */
export const SWEEP_NOTES =
  `Each step is a full phase (warm-up, log, summary) under OUT/step-NN-<load>/;
the sweep writes OUT/sweep.json, summary.md and (--html) report.html. A step that is
clearly overloaded (schedule lag P99 > 1 s, half its requests failed, or under 0.8 x the
offered rate achieved) fails and ends a --rates sweep. Warm-up defaults to 5 requests a
step. See docs/sweep.md.`;

/** The default warm-up of each step (requests). */
export const DEFAULT_STEP_WARMUP = 5;

/** Parses `sweep` flags. Throws {@linkcode UsageError}. */
export function parseSweepArgs(args: string[]): SweepOptions | "help" {
  if (args.includes("--help") || args.includes("-h")) return "help";
  const { own, shared } = splitArgs(args);
  const { values } = parseFlags(own, SWEEP_OWN_FLAGS);
  const refused = shared.map(flagName).find((n) => n !== null && STEP_SET.includes(n));
  if (refused) {
    throw new UsageError(`Cannot use --${refused} with sweep: each step sets it (see --help)`);
  }
  const mode = parseMode(values, shared);
  const stepDurationS = values["step-requests"] === undefined
    ? num(values, "step-duration", 10)
    : null;
  if (values["step-requests"] !== undefined && values["step-duration"] !== undefined) {
    throw new UsageError("Cannot use --step-duration with --step-requests: choose one");
  }
  const stepRequests = values["step-requests"] === undefined
    ? null
    : int(values, "step-requests", 1);
  checkStepLength(mode, stepDurationS);
  const runArgs = [...shared, ...firstStepArgs(mode, stepDurationS, stepRequests)];
  if (!shared.some((a) => flagName(a) === "warmup")) {
    runArgs.push("--warmup", String(DEFAULT_STEP_WARMUP));
  }
  if (!shared.some((a) => flagName(a) === "out")) runArgs.push("--out", "results/sweep");
  const base = parseRunArgs([...runArgs, "--quiet"]);
  if (base === "help") return "help";
  const { url, thresholds, uncertainty, html, warmup, seed, concurrency, hlog, dataset } = base;
  return {
    run: runSeries(base),
    shared: {
      url,
      thresholds,
      ...(uncertainty ? { uncertainty } : {}),
      html,
      warmup,
      seed,
      concurrency,
      ...(hlog ? { hlog } : {}),
      dataset,
    },
    mode,
    stepDurationS,
    stepRequests,
    coolDownMs: num(values, "cool-down", 1, true) * 1000,
    minCapacity: values["min-capacity"] === undefined ? null : num(values, "min-capacity", 0),
    outDir: base.outDir,
  };
}

/** The step list or search bounds; exactly one of --rates, --search, --sweep-concurrency. */
function parseMode(values: FlagValues, shared: readonly string[]): SweepMode {
  const given = ["rates", "search", "sweep-concurrency"].filter((f) => values[f] !== undefined);
  if (given.length !== 1) {
    throw new UsageError(
      given.length === 0
        ? "Cannot sweep: give --rates, --search or --sweep-concurrency"
        : `Cannot use --${given[0]} with --${given[1]}: choose one`,
    );
  }
  const searchOnly = ["min-rate", "max-rate", "resolution"].find((f) => values[f] !== undefined);
  if (given[0] !== "search" && searchOnly) {
    throw new UsageError(`Cannot use --${searchOnly} without --search`);
  }
  if (given[0] === "rates") return { kind: "rates", rates: parseRates(String(values.rates)) };
  if (given[0] === "sweep-concurrency") {
    if (shared.some((a) => flagName(a) === "concurrency")) {
      throw new UsageError("Cannot use --concurrency with --sweep-concurrency: each step sets it");
    }
    return { kind: "concurrency", levels: parseLevels(String(values["sweep-concurrency"])) };
  }
  if (!shared.some((a) => flagName(a) === "sla")) {
    throw new UsageError("Cannot --search without --sla: the search needs a threshold to meet");
  }
  for (const f of ["min-rate", "max-rate"]) {
    if (values[f] === undefined) throw new UsageError(`Cannot --search without --${f}`);
  }
  const minRate = num(values, "min-rate", 1);
  const maxRate = num(values, "max-rate", 1);
  const resolution = values.resolution === undefined ? maxRate / 100 : num(values, "resolution", 1);
  return { kind: "search", minRate, maxRate, resolution };
}

/** `--sweep-concurrency 1,2,4`: positive integers, ascending. */
function parseLevels(text: string): number[] {
  const levels = parseRates(text.trim() === "" ? "" : text, "--sweep-concurrency").map((v) => {
    if (!Number.isInteger(v) || v > 10_000) {
      throw new UsageError(
        `Cannot parse --sweep-concurrency "${text}": "${v}" is not an integer 1..10000`,
      );
    }
    return v;
  });
  return levels;
}

/** A step too short to hold one request at the lowest rate is bad usage. */
function checkStepLength(mode: SweepMode, stepDurationS: number | null): void {
  const seconds = stepDurationS ?? Infinity;
  if (mode.kind === "search") {
    checkSearch(mode.minRate, mode.maxRate, mode.resolution, seconds);
  } else if (mode.kind === "rates" && mode.rates[0]! * seconds < 1) {
    throw new UsageError(
      `Cannot run steps of ${seconds} s at ${mode.rates[0]}/s: a step would hold no request`,
    );
  }
}

/** The load flags of the first step, so `run`'s parser checks them as for a run. */
function firstStepArgs(
  mode: SweepMode,
  stepDurationS: number | null,
  stepRequests: number | null,
): string[] {
  const load = mode.kind === "concurrency"
    ? ["--concurrency", String(mode.levels[0])]
    : ["--rate", String(mode.kind === "rates" ? mode.rates[0] : mode.maxRate)];
  const length = stepRequests !== null
    ? ["--requests", String(stepRequests)]
    : ["--duration", String(stepDurationS)];
  return [...load, ...length];
}

/** The long name of a flag argument (`--sla=x` -> `sla`, `-H` -> `header`), or null. */
function flagName(arg: string): string | null {
  if (arg.startsWith("--")) return arg.slice(2).split("=")[0]!;
  if (/^-[A-Za-z]$/.test(arg)) {
    return Object.entries(RUN_FLAGS).find(([, d]) => d.short === arg.slice(1))?.[0] ?? null;
  }
  return null;
}

/** Splits the arguments into the sweep's own flags and the shared `run` flags (values kept with their flag). */
function splitArgs(args: readonly string[]): { own: string[]; shared: string[] } {
  const own: string[] = [];
  const shared: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = flagName(arg);
    const to = name !== null && name in SWEEP_OWN_FLAGS ? own : shared;
    to.push(arg);
    const def = name === null ? undefined : SWEEP_OWN_FLAGS[name] ?? RUN_FLAGS[name];
    if (def?.type === "string" && !arg.includes("=") && i + 1 < args.length) to.push(args[++i]!);
  }
  return { own, shared };
}
