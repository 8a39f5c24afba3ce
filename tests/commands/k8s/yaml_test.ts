import assert from "node:assert/strict";
import { toYaml, toYamlDocuments } from "../../../lib/commands/k8s/yaml.ts";
import { readYamlDocuments } from "../../_k8s_schema.ts";

Deno.test("toYaml() writes data a YAML parser reads back unchanged, look-alike strings included", () => {
  const value = {
    kind: "Job",
    strings: ["no", "on", "1.0", "", "null", "a: b", "- x", "#c", "multi\nline\n", 'q"uote', "ünï"],
    numbers: [0, -1, 2.5, 1e21],
    flags: [true, false, null],
    nested: [{ a: 1, b: [{ c: "d" }] }, [1, [2]], {}, []],
    "odd key:": { "batch.kubernetes.io/job-completion-index": "x" },
    empty: {},
    list: [],
  };
  assert.deepEqual(readYamlDocuments(toYaml(value)), [value]);
  assert.deepEqual(readYamlDocuments(toYamlDocuments([{ a: 1 }, { b: 2 }])), [{ a: 1 }, { b: 2 }]);
});

Deno.test("toYaml() leaves out undefined fields and refuses a non-finite number", () => {
  assert.equal(toYaml({ a: undefined, b: 1 }), "b: 1\n");
  assert.throws(() => toYaml({ a: NaN }), RangeError);
});
