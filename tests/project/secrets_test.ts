/**
 * A planted secret never leaves: credentials in the URL, Authorization,
 * Proxy-Authorization, X-Api-Key, Api-Key and Cookie headers, and an API key
 * from the environment go through run (with every output: the log with
 * --debug detail, the summary, report.html, JUnit, Prometheus), a sharded run
 * and its merge, compare, sweep, k8s and the job; every file written and
 * every line printed is searched for each secret. The server answers 500 with
 * the headers it got in its body, so --debug's error_detail sees them too.
 */
import assert from "node:assert/strict";
import { runMain } from "../_helpers.ts";

/** The secrets planted; none may appear anywhere. */
const SECRETS = {
  password: "pw-PLANTED-1111",
  bearer: "tok-PLANTED-2222",
  proxy: "proxy-PLANTED-3333",
  xApiKey: "xkey-PLANTED-4444",
  apiKey: "akey-PLANTED-5555",
  cookie: "cookie-PLANTED-6666",
  env: "env-PLANTED-7777",
};

const HEADERS = [
  "-H",
  `Authorization: Bearer ${SECRETS.bearer}`,
  "-H",
  `Proxy-Authorization: Basic ${SECRETS.proxy}`,
  "-H",
  `X-Api-Key: ${SECRETS.xApiKey}`,
  "-H",
  `Api-Key: ${SECRETS.apiKey}`,
  "-H",
  `Cookie: session=${SECRETS.cookie}`,
];

/** Every file under `dir`, with its text. */
async function filesUnder(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) { for (const [k, v] of await filesUnder(path)) files.set(k, v); }
    else files.set(path, new TextDecoder().decode(await Deno.readFile(path)));
  }
  return files;
}

function assertNoSecret(where: string, text: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    assert.ok(!text.includes(secret), `${where} holds the ${name} secret`);
    // Nor the Basic encoding of the URL's user:password.
    assert.ok(!text.includes(btoa(`alice:${SECRETS.password}`)), `${where} holds the Basic value`);
  }
}

Deno.test("no planted secret appears in any file or output of run, merge, compare, sweep, k8s, job", async () => {
  const root = await Deno.makeTempDir({ dir: "results", prefix: "secrets_" });
  const seen: string[] = [];
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    seen.push(req.headers.get("authorization") ?? "");
    // Echo every header back: the --debug detail sees the secrets the server got.
    const echoed = [...req.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
    return new Response(echoed, { status: req.headers.has("x-fail") ? 500 : 200 });
  });
  const port = server.addr.port;
  const url = `http://alice:${SECRETS.password}@127.0.0.1:${port}/v1/infer`;
  const env = { OPENAI_API_KEY: SECRETS.env };
  const perms = [
    "--allow-net=127.0.0.1",
    "--allow-read",
    "--allow-write",
    "--allow-run",
    "--allow-env=OPENAI_API_KEY,NO_COLOR,CI,TERM,GITHUB_STEP_SUMMARY,JOB_COMPLETION_INDEX," +
    "LOADGATE_FUNCTIONAL_TESTS",
  ];
  const runs: [string, string[]][] = [
    ["run", [
      "run",
      "--url",
      url,
      ...HEADERS,
      "-H",
      "X-Fail: 1",
      "-n",
      "4",
      "-c",
      "2",
      "--debug",
      "--html",
      "--out",
      `${root}/run`,
      "--junit",
      `${root}/run.xml`,
      "--prom",
      `${root}/run.prom`,
      "--json",
    ]],
    ...[0, 1].map((i): [string, string[]] => [`shard ${i}`, [
      "run",
      "--url",
      url,
      ...HEADERS,
      "-n",
      "4",
      "-c",
      "2",
      "--shard",
      `${i}/2`,
      "--out",
      `${root}/s${i}`,
    ]]),
    ["merge", [
      "merge",
      `${root}/s0`,
      `${root}/s1`,
      "--out",
      `${root}/merged`,
      "--junit",
      `${root}/m.xml`,
    ]],
    ["compare", [
      "compare",
      `${root}/s0/run.csv`,
      `${root}/s1/run.csv`,
      "--out",
      `${root}/cmp`,
      "--html",
      "--force",
    ]],
    ["sweep", [
      "sweep",
      "--url",
      url,
      ...HEADERS,
      "--rates",
      "20",
      "--step-requests",
      "4",
      "--out",
      `${root}/sweep`,
      "--html",
    ]],
    ["k8s", [
      "k8s",
      "--shards",
      "2",
      "--image",
      "x",
      "--out",
      `${root}/k8s`,
      "--",
      "run",
      "--url",
      url,
      ...HEADERS,
      "-n",
      "4",
    ]],
    ["k8s --api", [
      "k8s",
      "--shards",
      "2",
      "--image",
      "x",
      "--out",
      `${root}/k8s_api`,
      "--",
      "run",
      "--url",
      url,
      "--api",
      "openai-chat",
      "--model",
      "m",
      "--synthetic",
      "input=4,output=2",
      "-n",
      "4",
    ]],
    ["run --api-key-env", [
      "run",
      "--url",
      `http://127.0.0.1:${port}/v1/infer`,
      "--api-key-env",
      "OPENAI_API_KEY",
      "-H",
      "X-Fail: 1",
      "--debug",
      "-n",
      "2",
      "--out",
      `${root}/envkey`,
    ]],
    ["job", [
      "job",
      "--skip-tests",
      "-n",
      "8",
      "-c",
      "2",
      "--no-factorial",
      "--out",
      `${root}/job`,
    ]],
  ];
  try {
    for (const [what, args] of runs) {
      const r = await runMain(args, perms, env);
      assert.ok(r.code <= 1, `${what}: exit ${r.code}: ${r.stderr}`);
      assertNoSecret(`${what}: stdout`, r.stdout);
      assertNoSecret(`${what}: stderr`, r.stderr);
    }
    const files = await filesUnder(root);
    assert.ok(files.size > 20, `${files.size} files written`);
    for (const [path, text] of files) assertNoSecret(path, text);
    // The secrets were sent: the server got the URL's credentials as Basic, and the env key.
    assert.ok(seen.includes(`Bearer ${SECRETS.bearer}`), "the -H Authorization was sent");
    assert.ok(seen.includes(`Bearer ${SECRETS.env}`), "--api-key-env's key was sent");
    // k8s: the values are in no file; the pods read them from the Secret.
    const yaml = files.get(`${root}/k8s/loadgate.yaml`)!;
    assert.match(yaml, /secretKeyRef:\s+name: "loadgate-secrets"\s+key: "url"/);
    assert.match(yaml, /"Authorization: \$\(LOADGATE_HEADER_0\)"/);
    assert.match(files.get(`${root}/k8s_api/loadgate.yaml`)!, /key: "api-key"\s+optional: true/);
    assert.match(files.get(`${root}/run/run.csv`)!, /\*\*\*/, "the debug detail shows *** instead");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("every text file a command writes goes through writeText(), which redacts", async () => {
  const lib = new URL("../../lib/", import.meta.url);
  const allowed = ["commands/shared/write_text.ts", "commands/shared/out_dir.ts"];
  const offenders: string[] = [];
  const walk = async (dir: URL, rel: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory) await walk(new URL(`${e.name}/`, dir), path);
      else if (path.endsWith(".ts") && !allowed.includes(path)) {
        const text = await Deno.readTextFile(new URL(e.name, dir));
        if (/Deno\.write(Text)?File\(/.test(text)) offenders.push(path);
      }
    }
  };
  await walk(lib, "");
  assert.deepEqual(offenders, [], "write through lib/commands/shared/write_text.ts");
});
