import assert from "node:assert/strict";
import { ignoredBecause, optionalImport } from "../_interop_tools.ts";

const VALIDATOR = "npm:@action-validator/core@0.6.0";
type Validator = {
  validateAction(src: string): { actionType: string; errors: { code?: string; title?: string }[] };
};
const validator = await optionalImport<Validator>(VALIDATOR);
const ACTION = Deno.readTextFileSync(new URL("../../action.yml", import.meta.url));

const NAME = "action.yml is a valid composite action by @action-validator's schema";
Deno.test({
  name: NAME,
  ignore: ignoredBecause(validator, NAME),
  fn() {
    const { validateAction } = validator as Validator;
    const result = validateAction(ACTION);
    assert.deepEqual(result.errors, []);
    // The validator can fail: a composite step without a shell is refused.
    const broken = ACTION.replace(
      "      shell: bash\n      env:\n        LOADGATE_COMMAND",
      "      env:\n        LOADGATE_COMMAND",
    );
    assert.notEqual(broken, ACTION);
    assert.notDeepEqual(validateAction(broken).errors, []);
  },
});

Deno.test("action.yml sets up Deno, runs main.ts with the inputs, uploads the results, gates on the exit code", () => {
  assert.match(ACTION, /using: composite/);
  assert.match(ACTION, /uses: denoland\/setup-deno@v2/);
  assert.match(ACTION, /"\$GITHUB_ACTION_PATH\/main\.ts" "\$LOADGATE_COMMAND" "\$\{args\[@\]\}"/);
  assert.match(
    ACTION,
    /uses: actions\/upload-artifact@v4\n\s+with:\n\s+name: \$\{\{ inputs.artifact-name \}\}\n\s+path: \$\{\{ inputs.results \}\}/,
  );
  assert.match(ACTION, /if: always\(\)/);
  assert.match(ACTION, /run: exit "\$\{LOADGATE_EXIT:-2\}"/);
  // Inputs reach the shell only through env, never spliced into the script.
  const runBlocks = ACTION.split("run: |")[1]!.split("- name:")[0]!;
  assert.ok(!runBlocks.includes("${{"), "an input is spliced into the script");
});
