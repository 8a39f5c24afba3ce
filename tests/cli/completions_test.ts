import assert from "node:assert/strict";
import { completionScript, parseShell } from "../../lib/cli/completions.ts";

const COMMANDS = [
  { name: "run", flags: ["url", "concurrency", "sla"], description: "one phase: any endpoint" },
  { name: "compare", flags: ["out", "sla"], description: "compare two logs" },
];

Deno.test("parseShell() accepts bash, zsh and fish only", () => {
  assert.equal(parseShell("zsh"), "zsh");
  assert.throws(
    () => parseShell("tcsh"),
    /Cannot make completions for "tcsh": expected one of bash, zsh, fish/,
  );
  assert.throws(() => parseShell(undefined), /expected one of/);
});

Deno.test("every script names every command and flag", () => {
  for (const shell of ["bash", "zsh", "fish"] as const) {
    const script = completionScript(shell, COMMANDS);
    for (const word of ["run", "compare", "url", "concurrency", "out", "sla"]) {
      assert.ok(script.includes(word), `${shell} script misses ${word}`);
    }
  }
  assert.match(
    completionScript("fish", COMMANDS),
    /complete -c loadgate -n "__fish_seen_subcommand_from run" -l url/,
  );
  assert.match(completionScript("zsh", COMMANDS), /^#compdef loadgate\n/);
  assert.throws(() => completionScript("bash", [{ name: "a;rm", flags: [] }]), TypeError);
});

const bashRun = Deno.permissions.querySync({ name: "run", command: "bash" }).state === "granted";
const bashReason = "needs --allow-run=bash to source the script in bash";
if (!bashRun) console.log(`ignored bash completion test: ${bashReason}`);

Deno.test({
  name: "the bash script completes commands and a command's flags in bash",
  ignore: !bashRun,
  async fn() {
    const script = completionScript("bash", COMMANDS);
    const complete = async (words: string[]): Promise<string[]> => {
      const probe = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); ` +
        `COMP_CWORD=${words.length - 1}; _loadgate_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const out = await new Deno.Command("bash", { args: ["--norc", "-c", probe], stdout: "piped" })
        .output();
      assert.equal(out.code, 0);
      return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "");
    };
    assert.deepEqual(await complete(["loadgate", "co"]), ["compare"]);
    assert.deepEqual(await complete(["loadgate", "run", "--c"]), ["--concurrency"]);
    assert.deepEqual(await complete(["loadgate", "compare", "--"]), ["--out", "--sla", "--help"]);
  },
});
