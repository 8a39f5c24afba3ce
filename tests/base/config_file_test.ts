import assert from "node:assert/strict";
import { configToArgs, expandConfig } from "../../lib/base/config_file.ts";
import { type FlagSpec, parseFlags } from "../../lib/base/flags.ts";
import { UsageError } from "../../lib/base/errors.ts";

const SPEC: FlagSpec = {
  url: { type: "string" },
  concurrency: { type: "string", short: "c" },
  sla: { type: "string", multiple: true },
  quiet: { type: "boolean" },
  html: { type: "boolean" },
  config: { type: "string" },
  help: { type: "boolean", short: "h" },
};

const files: Record<string, string> = {
  "lg.json": JSON.stringify({
    url: "http://127.0.0.1:8000/v1/infer",
    concurrency: 8,
    sla: ["p95<=800", "p99<=1200"],
    quiet: true,
    html: false,
  }),
  "bad.json": "{ url: nope",
  "list.json": "[1, 2]",
};
const read = (p: string): string => {
  const text = files[p];
  if (text === undefined) throw new Deno.errors.NotFound(`No such file: ${p}`);
  return text;
};

Deno.test("expandConfig() turns a config's keys into flags placed before the explicit ones", () => {
  const args = expandConfig(["--config", "lg.json", "--out", "x"], SPEC, read);
  assert.deepEqual(args, [
    "--url=http://127.0.0.1:8000/v1/infer",
    "--concurrency=8",
    "--sla=p95<=800",
    "--sla=p99<=1200",
    "--quiet",
    "--out",
    "x",
  ]);
});

Deno.test("the command line wins over the config file, for long, short and repeated flags", () => {
  const args = expandConfig(["-c", "2", "--config=lg.json", "--sla", "p50<=10"], SPEC, read);
  const { values } = parseFlags(args, SPEC);
  assert.equal(values.concurrency, "2");
  assert.deepEqual(values.sla, ["p50<=10"]);
  assert.equal(values.url, "http://127.0.0.1:8000/v1/infer");
  assert.equal(values.quiet, true);
});

Deno.test("expandConfig() leaves arguments without --config alone, and stops at --", () => {
  assert.deepEqual(expandConfig(["--url", "u"], SPEC, read), ["--url", "u"]);
  assert.deepEqual(expandConfig(["--", "--config", "lg.json"], SPEC, read), [
    "--",
    "--config",
    "lg.json",
  ]);
});

Deno.test("a bad config is a one-line usage error naming the file and key", () => {
  const cases: [string[], RegExp][] = [
    [["--config", "missing.json"], /^Cannot read config "missing.json": No such file/],
    [["--config", "bad.json"], /^Cannot read config "bad.json": not JSON/],
    [["--config", "list.json"], /expected a JSON object of flag names/],
    [["--config"], /^Cannot parse --config: expected a file$/],
    [["--config", "lg.json", "--config", "lg.json"], /give it once/],
  ];
  for (const [args, re] of cases) {
    assert.throws(() => expandConfig(args, SPEC, read), (e: Error) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, re);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
  assert.throws(
    () => configToArgs({ urll: "x" }, SPEC, "f.json"),
    /unknown key "urll" \(expected a long flag name such as url, concurrency, sla\)/,
  );
  assert.throws(
    () => configToArgs({ quiet: "yes" }, SPEC, "f.json"),
    /key "quiet" has "yes" \(expected true or false\)/,
  );
  assert.throws(
    () => configToArgs({ url: ["a", "b"] }, SPEC, "f.json"),
    /key "url" has \["a","b"\] \(expected a value\)/,
  );
  assert.throws(() => configToArgs({ config: "x" }, SPEC, "f.json"), /unknown key "config"/);
});
