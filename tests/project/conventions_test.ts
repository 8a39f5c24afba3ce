/**
 * The conventions users type: durations with units, `-m`, `--timeout`,
 * `--config FILE` on every command (the command line wins), and
 * `loadgate completions` made from the real flag specs.
 */
import assert from "node:assert/strict";
import { parseRunArgs } from "../../lib/commands/run/flags.ts";
import { parseJobArgs } from "../../lib/commands/job/flags.ts";
import { parseK8sArgs } from "../../lib/commands/k8s/flags.ts";
import { main } from "../../lib/cli/cli.ts";
import { COMMANDS } from "../../lib/cli/commands.ts";
import type { CliContext } from "../../lib/commands/shared/context.ts";
import { ExitCode } from "../../lib/base/errors.ts";

const URL_OK = "http://127.0.0.1:9/v1/infer";
const PYTHON = new URL("../fixtures/foreign/python_baseline.csv", import.meta.url).pathname;

function run(...args: string[]) {
  const o = parseRunArgs(["--url", URL_OK, ...args]);
  assert.ok(o !== "help");
  return o;
}

function capture(): { ctx: CliContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    ctx: {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      color: false,
      print: (t) => (out.push(t), ExitCode.Pass),
    },
  };
}

Deno.test("-d takes 30s, 2m, 500ms; a plain number keeps meaning seconds", () => {
  assert.equal(run("-d", "30s").durationMs, 30_000);
  assert.equal(run("--duration", "2m").durationMs, 120_000);
  assert.equal(run("-d", "1m30s").durationMs, 90_000);
  assert.equal(run("-d", "500ms").durationMs, 500);
  assert.equal(run("-d", "3").durationMs, 3000);
  assert.throws(() => run("-d", "0s"), /Cannot parse --duration: "0s" is not above zero/);
  assert.throws(() => run("-d", "3 weeks"), /Cannot parse --duration: "3 weeks" is not a duration/);
});

Deno.test("--timeout takes a duration (plain number: ms); --timeout-ms stays whole ms", () => {
  assert.equal(run("--timeout", "10s").timeoutMs, 10_000);
  assert.equal(run("--timeout", "250").timeoutMs, 250);
  assert.equal(run("--timeout-ms", "750").timeoutMs, 750);
  assert.equal(run().timeoutMs, 30_000);
  assert.throws(() => run("--timeout", "1s", "--timeout-ms", "5"), /Cannot use --timeout with/);
  assert.throws(() => run("--timeout-ms", "5s"), /is not a positive integer/);
  const job = parseJobArgs(["--timeout", "2s"], false);
  assert.ok(job !== "help");
  assert.equal(job.timeoutMs, 2000);
});

Deno.test("-m is --method, as in hey and oha", () => {
  assert.equal(run("-m", "GET").method, "GET");
  assert.equal(run("--method", "put").method, "PUT");
});

Deno.test("--config FILE: any long flag as a key, the command line wins", async () => {
  await Deno.mkdir("results", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "conventions_" });
  try {
    const config = `${dir}/loadgate.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({ out: `${dir}/from-config`, phase: "py", format: "python-csv" }),
    );
    const a = capture();
    assert.equal(await main(["import", PYTHON, "--config", config], a.ctx), 0, a.err.join("\n"));
    await Deno.stat(`${dir}/from-config/py.csv`);
    const b = capture();
    const code = await main(
      ["import", PYTHON, "--config", config, "--out", `${dir}/explicit`],
      b.ctx,
    );
    assert.equal(code, 0, b.err.join("\n"));
    await Deno.stat(`${dir}/explicit/py.csv`);

    await Deno.writeTextFile(config, JSON.stringify({ concurency: 4 }));
    const c = capture();
    assert.equal(await main(["run", "--config", config], c.ctx), 2);
    assert.match(c.err[0]!, /Cannot read config ".*": unknown key "concurency"/);
    const d = capture();
    assert.equal(await main(["compare", "--config", `${dir}/none.json`], d.ctx), 2);
    assert.match(d.err[0]!, /^loadgate: Cannot read config ".*none\.json"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadgate completions names every command and each one's flags from its spec", async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const c = capture();
    assert.equal(await main(["completions", shell], c.ctx), 0);
    const script = c.out.join("\n");
    for (const [name, command] of Object.entries(COMMANDS)) {
      assert.ok(script.includes(name), `${shell}: ${name}`);
      for (const flag of Object.keys((await command.load()).flags)) {
        if (flag.startsWith("fault-") || flag === "help") continue;
        assert.ok(script.includes(flag), `${shell}: ${name} --${flag}`);
      }
    }
  }
  const fish = capture();
  await main(["completions", "fish"], fish.ctx);
  assert.match(
    fish.out.join("\n"),
    /complete -c loadgate -n "__fish_seen_subcommand_from compare" -l require-checks/,
  );
  const bad = capture();
  assert.equal(await main(["completions", "tcsh"], bad.ctx), 2);
  assert.match(bad.err[0]!, /expected one of bash, zsh, fish/);
});

const bashRun = Deno.permissions.querySync({ name: "run", command: "bash" }).state === "granted";
if (!bashRun) console.log("ignored real-spec bash completion test: needs --allow-run=bash");

Deno.test({
  name: "the generated bash script completes the real commands and flags in bash",
  ignore: !bashRun,
  async fn() {
    const c = capture();
    await main(["completions", "bash"], c.ctx);
    const complete = async (words: string[]): Promise<string[]> => {
      const probe = `${c.out.join("\n")}\nCOMP_WORDS=(${
        words.map((w) => `'${w}'`).join(" ")
      }); COMP_CWORD=${words.length - 1}; _loadgate_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const out = await new Deno.Command("bash", { args: ["--norc", "-c", probe], stdout: "piped" })
        .output();
      assert.equal(out.code, 0);
      return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "");
    };
    assert.deepEqual(await complete(["loadgate", "comp"]), ["compare", "completions"]);
    assert.deepEqual(await complete(["loadgate", "compare", "--req"]), ["--require-checks"]);
    assert.deepEqual(await complete(["loadgate", "run", "--jun"]), ["--junit"]);
  },
});

Deno.test("k8s --start-in takes a duration; a plain number stays seconds", () => {
  const k8s = (...a: string[]) => {
    const o = parseK8sArgs([
      "--shards",
      "2",
      "--image",
      "loadgate:1",
      ...a,
      "--",
      "run",
      "--url",
      URL_OK,
    ]);
    assert.ok(o !== "help");
    return o;
  };
  assert.equal(k8s("--start-in", "2m").startInS, 120);
  assert.equal(k8s("--start-in", "90").startInS, 90);
  assert.equal(k8s().startInS, 120);
  assert.throws(() => k8s("--start-in", "1500ms"), /is not whole seconds/);
});
