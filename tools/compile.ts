/**
 * `deno task compile`: builds loadgate into one executable with
 * `deno compile`, with narrow permissions baked in.
 *
 * `deno compile` needs Deno's `denort` runtime for the target. It downloads
 * it from dl.deno.land unless `DENORT_BIN` names a local copy. Where that host
 * cannot be reached the build cannot finish; this task then prints one line
 * saying so (and how to supply `DENORT_BIN`) instead of deno's error chain.
 *
 * ```sh
 * deno task compile                                # results/bin/loadgate
 * deno task compile --output /usr/local/bin/loadgate --allow-net api.example.com:443
 * DENORT_BIN=/opt/denort deno task compile         # offline, with a local runtime
 * ```
 *
 * Nothing beside main.ts is read at run time (the functional tests, which
 * need the checkout, are skipped in a compiled binary), so no `--include` is
 * needed; the stub is the binary itself, run as `loadgate stub`.
 *
 * @module
 */

import { type FlagSpec, helpText, parseFlags, str, strList } from "../lib/base/flags.ts";
import { fileURLToPath } from "node:url";
import { ExitCode, UsageError } from "../lib/base/errors.ts";
import { V8_FLAGS_ARG } from "../lib/base/runtime_flags.ts";

/**
 * Permissions the binary is built with. `--allow-run` cannot name the binary
 * (its path is only known where it is installed), and the main job runs the
 * binary itself for the stub, so it stays open; see the README.
 */
export const BAKED_PERMISSIONS: readonly string[] = [
  // /proc/self/stat: the client's CPU time without Node's compatibility layer (lib/load/process_cpu.ts).
  "--allow-read=.,/proc/self/stat",
  "--allow-write=results",
  "--allow-run",
  "--allow-env=CI,NO_COLOR,TERM,GITHUB_STEP_SUMMARY,GITHUB_SHA,GITHUB_REF_NAME,LOADGATE_FUNCTIONAL_TESTS,JOB_COMPLETION_INDEX,OPENAI_API_KEY,GRPC_*",
  "--no-prompt",
];

/** Options of the compile task. */
export interface CompileOptions {
  /** Where the executable goes. */
  output: string;
  /** A `deno compile --target`, or null for this machine. */
  target: string | null;
  /** Hosts the binary may reach beside 127.0.0.1 (`run --url` against real endpoints). */
  netHosts: string[];
}

const FLAGS: FlagSpec = {
  output: {
    type: "string",
    short: "o",
    arg: "PATH",
    help: "the executable (default results/bin/loadgate)",
  },
  target: {
    type: "string",
    arg: "TRIPLE",
    help: "another platform, for example aarch64-apple-darwin",
  },
  "allow-net": {
    type: "string",
    multiple: true,
    arg: "HOSTS",
    help: "hosts the binary may load-test beside 127.0.0.1 (repeatable)",
  },
  help: { type: "boolean", short: "h", help: "this help" },
};

const HELP = helpText(
  "deno task compile [--output PATH] [--target TRIPLE] [--allow-net HOST[:PORT]]...",
  FLAGS,
  "Set DENORT_BIN to a local denort of the same Deno version to build offline.",
);

/** Parses the task's arguments. Throws {@linkcode UsageError}. */
export function parseCompileArgs(args: string[]): CompileOptions | "help" {
  const { values } = parseFlags(args, FLAGS);
  if (values.help) return "help";
  const netHosts = strList(values, "allow-net").flatMap((v) => v.split(",")).filter((h) => h);
  for (const h of netHosts) {
    if (!/^[\w.-]+(:\d+)?$|^\[[0-9a-f:.]+\](:\d+)?$/i.test(h)) {
      throw new UsageError(`Cannot parse --allow-net: "${h}" is not HOST or HOST:PORT`);
    }
  }
  return {
    output: str(values, "output", "results/bin/loadgate"),
    target: values.target === undefined ? null : str(values, "target", ""),
    netHosts,
  };
}

/** The `deno compile` arguments for `options`, main.ts last. */
export function compileArgs(options: CompileOptions, mainPath: string): string[] {
  return [
    "compile",
    "--output",
    options.output,
    ...(options.target ? ["--target", options.target] : []),
    `--allow-net=${["127.0.0.1", ...options.netHosts].join(",")}`,
    ...BAKED_PERMISSIONS,
    V8_FLAGS_ARG,
    mainPath,
  ];
}

/**
 * One line explaining a failed `deno compile` when the cause is the denort
 * runtime (cannot be downloaded, or DENORT_BIN is wrong); null otherwise.
 */
export function explainCompileFailure(stderr: string, denoVersion: string): string | null {
  // deno-lint-ignore no-control-regex -- deno colours its errors; the escape codes go
  const text = stderr.replace(/\x1b\[[0-9;]*m/g, "");
  const missing = /Could not find denort at '([^']*)'/.exec(text);
  if (missing) {
    return `cannot build: DENORT_BIN="${
      missing[1]
    }" is not a file; point it at a denort ${denoVersion} binary, or unset it to download one`;
  }
  const url = /error sending request for url \((https?:\/\/[^)]*denort[^)]*)\)/.exec(text)?.[1];
  if (
    url !== undefined || /dl\.deno\.land/.test(text) && /dns error|Connect|timed out/i.test(text)
  ) {
    const host = url ? new URL(url).host : "dl.deno.land";
    const why = /dns error/i.test(text)
      ? "its name does not resolve here"
      : /timed out/i.test(text)
      ? "the connection timed out"
      : "the connection failed";
    return `cannot build here: deno compile downloads its runtime, denort ${denoVersion}, ` +
      `from ${host} and ${why}; set DENORT_BIN to a local denort ${denoVersion} ` +
      "to build offline (the program itself is compile-ready: see README, One binary)";
  }
  return null;
}

/** What running `deno compile` returned. */
export interface CompileRun {
  code: number;
  stderr: string;
}

/** Where the task writes and how it runs deno; injected by tests. */
export interface CompileDeps {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Runs `deno` with `args`, passing stdout through and capturing stderr. */
  runDeno: (args: string[]) => Promise<CompileRun>;
  denoVersion: string;
  denortBin: string | undefined;
  mainPath: string;
}

/** Runs the compile task; returns the exit code (0 built, 1 not built, 2 bad usage). */
export async function compileTask(args: string[], deps: CompileDeps): Promise<number> {
  let options: CompileOptions | "help";
  try {
    options = parseCompileArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    deps.err(`loadgate compile: ${err.message}`);
    return ExitCode.Usage;
  }
  if (options === "help") {
    deps.out(HELP);
    return ExitCode.Pass;
  }
  if (deps.denortBin) deps.err(`loadgate compile: using DENORT_BIN=${deps.denortBin}`);
  const run = await deps.runDeno(compileArgs(options, deps.mainPath));
  if (run.code === 0) {
    deps.out(`loadgate compile: wrote ${options.output}; try: ${options.output} --help`);
    return ExitCode.Pass;
  }
  const line = explainCompileFailure(run.stderr, deps.denoVersion);
  if (line !== null) {
    deps.err(`loadgate compile: ${line}`);
  } else {
    for (const l of run.stderr.trimEnd().split("\n")) deps.err(l);
  }
  return ExitCode.Fail;
}

async function runDeno(args: string[]): Promise<CompileRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    stdin: "null",
    stdout: "inherit",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

function line(stream: { writeSync: (p: Uint8Array) => number }): (text: string) => void {
  const enc = new TextEncoder();
  return (text) => {
    const bytes = enc.encode(`${text}\n`);
    let at = 0;
    while (at < bytes.length) at += stream.writeSync(bytes.subarray(at));
  };
}

if (import.meta.main) {
  const denortBin = Deno.permissions.querySync({ name: "env", variable: "DENORT_BIN" }).state ===
      "granted"
    ? Deno.env.get("DENORT_BIN")
    : undefined;
  Deno.exit(
    await compileTask(Deno.args, {
      out: line(Deno.stdout),
      err: line(Deno.stderr),
      runDeno,
      denoVersion: Deno.version.deno,
      denortBin,
      mainPath: fileURLToPath(new URL("../main.ts", import.meta.url)),
    }),
  );
}
