/**
 * `sweep` publishes where CI reads: `--junit` (the capacity gate as a test
 * case), `--prom` (each step's gauges), `--json` (sweep.json on stdout, every
 * human line on stderr).
 */
import assert from "node:assert/strict";
import { startStubProcess } from "../../../lib/stub/spawn.ts";
import { runMain } from "../../_helpers.ts";

Deno.test("sweep --junit --prom --json: the capacity gate in JUnit, steps as gauges, sweep.json on stdout", async () => {
  await Deno.mkdir("results", { recursive: true });
  const stub = await startStubProcess(["--mode", "concurrent", "--service-ms", "1:2"]);
  const dir = await Deno.makeTempDir({ dir: "results", prefix: "sweep_ci_" });
  try {
    const r = await runMain(
      [
        "sweep",
        "--url",
        stub.url,
        "--rates",
        "5,10",
        "--step-duration",
        "1",
        "--cool-down",
        "0",
        "--sla",
        "p95<=500",
        "--min-capacity",
        "5",
        "--out",
        `${dir}/s`,
        "--junit",
        `${dir}/gate.xml`,
        "--prom",
        `${dir}/gate.prom`,
        "--json",
      ],
      ["--allow-net=127.0.0.1", "--allow-read", "--allow-write"],
    );
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.command, "sweep");
    assert.equal(doc.steps.length, 2);
    assert.match(r.stderr, /verdict: PASS/, "human output goes to stderr under --json");
    const junit = await Deno.readTextFile(`${dir}/gate.xml`);
    assert.match(junit, /<testsuite[^>]*name="loadgate\.sweep"/);
    assert.match(junit, /<testcase[^>]*name="[^"]*min_capacity[^"]*"/);
    assert.doesNotMatch(junit, /<failure/);
    const prom = await Deno.readTextFile(`${dir}/gate.prom`);
    assert.match(prom, /loadgate_p95\{[^}]*phase="step-01-5"/);
    assert.match(prom, /loadgate_achieved_rate\{[^}]*phase="step-02-10"/);
  } finally {
    await stub.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
