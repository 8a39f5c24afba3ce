import assert from "node:assert/strict";
import { colorEnabled, isCi, progressEnabled } from "../../../lib/commands/shared/terminal.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("colorEnabled() colours only a terminal, and never under NO_COLOR", () => {
  assert.equal(colorEnabled({ isTerminal: true, noColor: false }), true);
  assert.equal(colorEnabled({ isTerminal: true, noColor: true }), false);
  assert.equal(colorEnabled({ isTerminal: false, noColor: false }), false);
  assert.equal(colorEnabled({ isTerminal: false, noColor: true }), false);
});

Deno.test("isCi() reads CI as set unless it is empty, 0 or false", () => {
  for (const on of ["true", "1", "yes", "TRUE", "woodpecker"]) {
    assert.equal(isCi(env({ CI: on })), true, on);
  }
  for (const off of ["", "0", "false", "False", " "]) {
    assert.equal(isCi(env({ CI: off })), false, off);
  }
  assert.equal(isCi(env({})), false);
});

Deno.test("progressEnabled() needs a terminal on stderr, no CI, no --quiet, no dumb TERM", () => {
  const base = { isTerminal: true, env: env({ TERM: "xterm-256color" }), quiet: false };
  assert.equal(progressEnabled(base), true);
  assert.equal(progressEnabled({ ...base, isTerminal: false }), false, "piped stderr");
  assert.equal(progressEnabled({ ...base, quiet: true }), false, "--quiet");
  assert.equal(progressEnabled({ ...base, env: env({ CI: "true" }) }), false, "CI");
  assert.equal(progressEnabled({ ...base, env: env({ TERM: "dumb" }) }), false, "TERM=dumb");
  assert.equal(progressEnabled({ ...base, env: env({}) }), true, "no TERM at all (Windows)");
});
