import assert from "node:assert/strict";
import { flagHelp, type FlagSpec, helpText, int, parseFlags } from "../../lib/base/flags.ts";
import { UsageError } from "../../lib/base/errors.ts";
import { COMPARE_FLAGS } from "../../lib/commands/compare/flags.ts";
import { JOB_FLAGS } from "../../lib/commands/job/flags.ts";
import { RUN_FLAGS } from "../../lib/commands/run/flags.ts";
import { main } from "../../lib/cli/cli.ts";
import type { CliContext } from "../../lib/commands/shared/context.ts";

const SPEC: FlagSpec = {
  requests: { type: "string", short: "n", arg: "N", help: "requests (default 100)" },
  reuse: { type: "boolean", label: "--reuse | --no-reuse", help: "pool\nor fresh" },
  "no-reuse": { type: "boolean" },
};

Deno.test("one flag spec parses and writes the help: labels, continuations, hidden flags", () => {
  const { values } = parseFlags(["-n", "5", "--no-reuse"], SPEC);
  assert.equal(int(values, "requests", 100), 5);
  assert.equal(values["no-reuse"], true);
  assert.throws(() => parseFlags(["--nope"], SPEC), UsageError);
  assert.equal(
    flagHelp(SPEC),
    [
      "  -n, --requests N       requests (default 100)",
      "  --reuse | --no-reuse   pool",
      "                         or fresh",
    ].join("\n"),
  );
  assert.match(
    helpText("loadgate x [options]", SPEC, "notes"),
    /^Usage: loadgate x \[options\]\n.*\nnotes$/s,
  );
});

/** The help a command prints, captured. */
async function helpOf(args: string[]): Promise<string> {
  const lines: string[] = [];
  const ctx: CliContext = {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    color: false,
    print: (text) => (lines.push(text), 0),
  };
  assert.equal(await main(args, ctx), 0);
  return lines.join("\n");
}

Deno.test("every listed flag of job, run and compare is in its --help, as the spec words it", async () => {
  const cases: [string[], FlagSpec][] = [
    [["job", "--help"], JOB_FLAGS],
    [["run", "--help"], RUN_FLAGS],
    [["compare", "--help"], COMPARE_FLAGS],
  ];
  for (const [args, spec] of cases) {
    const help = await helpOf(args);
    for (const [name, def] of Object.entries(spec)) {
      if (def.help === undefined) continue;
      assert.ok(help.includes(def.label ?? `--${name}`), `${args[0]} --help lacks --${name}`);
      assert.ok(
        help.includes(def.help.split("\n")[0]!),
        `${args[0]} --help lacks the words of --${name}`,
      );
    }
  }
  assert.ok(!(await helpOf(["job", "--help"])).includes("fault-alter-output"), "hidden flag");
});

Deno.test("a negative number after a flag is its value, for the flag's reader to judge", () => {
  for (const args of [["-n", "-5"], ["--requests", "-5"], ["--requests", "-1.5"]]) {
    const { values } = parseFlags(args, SPEC);
    assert.equal(values.requests, args[1]);
    assert.throws(() => int(values, "requests", 100), /"-1?\.?5" is not a positive integer/);
  }
  // Anything else starting with a dash still reads as a forgotten value.
  assert.throws(() => parseFlags(["-n", "-x"], SPEC), /"-x" looks like another option/);
});

Deno.test("parseFlags() reads flags as node's parseArgs does in strict mode", () => {
  const spec: FlagSpec = {
    requests: { type: "string", short: "n" },
    header: { type: "string", short: "H", multiple: true },
    quiet: { type: "boolean", short: "q" },
    verbose: { type: "boolean", short: "v" },
  };
  const args = ["--requests=7", "-H", "a: 1", "-Hb: 2", "-qv", "x", "--", "--quiet", "-"];
  const copy = [...args];
  const { values, positionals } = parseFlags(args, spec, true);
  assert.deepEqual(args, copy, "the caller's array is left as it was");
  assert.deepEqual(values, { requests: "7", header: ["a: 1", "b: 2"], quiet: true, verbose: true });
  assert.deepEqual(positionals, ["x", "--quiet", "-"]);
  assert.equal(parseFlags(["-n", "1", "-n5"], spec).values.requests, "5", "the last one wins");
  const fails: [string[], RegExp][] = [
    [["x"], /^Unexpected argument 'x'\. This command does not take positional arguments$/],
    [["--bogus=1"], /^Unknown option '--bogus'$/],
    [["-z"], /^Unknown option '-z'$/],
    [["--quiet=yes"], /^Option '--quiet' does not take an argument$/],
    [["-n"], /^Option '-n, --requests <value>' argument missing$/],
    [["--requests", "--quiet"], /"--quiet" looks like another option; write --requests=--quiet/],
  ];
  for (const [bad, message] of fails) {
    assert.throws(
      () => parseFlags(bad, spec),
      (e: Error) => e instanceof UsageError && message.test(e.message),
      bad.join(" "),
    );
  }
});

Deno.test("parseFlags() gives what node:util parseArgs gives on the same valid arguments", async () => {
  const { parseArgs } = await import("node:util");
  const spec: FlagSpec = {
    requests: { type: "string", short: "n" },
    header: { type: "string", short: "H", multiple: true },
    quiet: { type: "boolean", short: "q" },
    verbose: { type: "boolean", short: "v" },
  };
  const cases = [
    ["--requests=7", "-H", "a", "-Hb", "-qv", "x", "--", "--quiet", "-"],
    ["-n5", "--requests", "6", "-vq", "--header=c=d"],
    ["a", "-", "b", "--quiet", "--", "--"],
    [],
  ];
  for (const args of cases) {
    const node = parseArgs({ args, options: spec, strict: true, allowPositionals: true });
    const ours = parseFlags(args, spec, true);
    assert.deepEqual({ ...ours.values }, { ...node.values }, args.join(" "));
    assert.deepEqual(ours.positionals, node.positionals, args.join(" "));
  }
});

Deno.test("a flag with a bare value takes the next argument only when it is not another flag", () => {
  const spec: FlagSpec = {
    history: { type: "string", bare: "results/history.db" },
    quiet: { type: "boolean" },
  };
  assert.deepEqual(parseFlags(["--history"], spec).values, { history: "results/history.db" });
  assert.deepEqual(parseFlags(["--history", "--quiet"], spec).values, {
    history: "results/history.db",
    quiet: true,
  });
  assert.deepEqual(parseFlags(["--history", "h.db"], spec).values, { history: "h.db" });
  assert.deepEqual(parseFlags(["--history=x.db"], spec).values, { history: "x.db" });
});

Deno.test("a bare flag with bareTakes leaves an argument that does not match as a positional", () => {
  const spec: FlagSpec = {
    history: { type: "string", bare: "results/history.db", bareTakes: /\.db$|^postgres:\/\// },
  };
  const logs = parseFlags(["--history", "a.csv", "b.csv"], spec, true);
  assert.deepEqual(logs.values, { history: "results/history.db" });
  assert.deepEqual(logs.positionals, ["a.csv", "b.csv"]);
  assert.deepEqual(parseFlags(["--history", "h.db"], spec).values, { history: "h.db" });
  assert.deepEqual(parseFlags(["--history", "postgres://u@127.0.0.1/x"], spec).values, {
    history: "postgres://u@127.0.0.1/x",
  });
  assert.deepEqual(parseFlags(["--history=a.csv"], spec).values, { history: "a.csv" });
});
