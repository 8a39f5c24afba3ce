// Terminal output is under test here: its escape codes and its column spacing are the point.
// deno-lint-ignore-file no-control-regex no-regex-spaces
/**
 * The live progress line end to end: it shows on a pseudo-terminal (made by
 * util-linux `script`) and not when stderr is piped, under CI, or with
 * --quiet. The decision itself is unit-tested in terminal_test.ts.
 */
import assert from "node:assert/strict";
import { MAIN } from "../_helpers.ts";

function hasScript(): boolean {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const SCRIPT = hasScript();
if (!SCRIPT) console.log("progress_pty_test: skipped, util-linux `script` is not installed");

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const PERMS = [
  "--allow-net=127.0.0.1",
  "--allow-read",
  "--allow-write",
  "--allow-run",
  "--allow-env",
];

/** Runs main.ts on a pseudo-terminal (stdout and stderr both go to it); returns what it showed. */
async function onPty(args: string[], env: string[]): Promise<{ code: number; screen: string }> {
  const cmd = [
    "env",
    "-u",
    "CI",
    "-u",
    "NO_COLOR",
    ...env,
    Deno.execPath(),
    "run",
    "--quiet",
    ...PERMS,
    MAIN,
    ...args,
  ]
    .map(quote).join(" ");
  // A wide terminal, so the line always has room for its bar.
  const out = await new Deno.Command("script", {
    args: ["-q", "-e", "-c", `stty cols 200 rows 40; ${cmd}`, "/dev/null"],
    stdin: "null",
  }).output();
  return { code: out.code, screen: new TextDecoder().decode(out.stdout) };
}

/** A slow-ish plain endpoint, so a phase lasts long enough to redraw. */
function slowServer(delayMs: number) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    await req.arrayBuffer();
    await new Promise((r) => setTimeout(r, delayMs));
    return Response.json({ ok: true });
  });
  return { url: `http://127.0.0.1:${server.addr.port}/x`, close: () => server.shutdown() };
}

const PROGRESS =
  /\rpty  \[[#.]{20}\]  \d+\/30 \d+%  [\d.-]+ req\/s  \d+ failed  p95~[\d.-]+ ms  [\d.]+s\x1b\[K/;

Deno.test({
  name:
    "run shows a live progress line on a terminal, and none when piped, under CI or with --quiet",
  ignore: !SCRIPT,
  fn: async () => {
    const server = slowServer(15);
    const dir = await Deno.makeTempDir({ prefix: "loadgate_pty_" });
    try {
      // Each run writes into its own folder, since they run at the same time.
      const args = (
        out: string,
      ) => [
        "run",
        "--url",
        server.url,
        "-n",
        "30",
        "-c",
        "2",
        "--phase",
        "pty",
        "--out",
        `${dir}/${out}`,
      ];
      // Four runs of the same phase, side by side: on a terminal, under CI, with --quiet, piped.
      const [tty, ci, quiet, piped] = await Promise.all([
        onPty(args("tty"), ["TERM=xterm"]),
        onPty(args("ci"), ["TERM=xterm", "CI=true"]),
        onPty([...args("quiet"), "--quiet"], ["TERM=xterm"]),
        new Deno.Command(Deno.execPath(), {
          args: ["run", "--quiet", ...PERMS, MAIN, ...args("piped")],
          stdin: "null",
          env: { TERM: "xterm", CI: "" },
        }).output(),
      ]);
      assert.equal(tty.code, 0, tty.screen);
      assert.match(tty.screen, PROGRESS, "progress on a terminal");
      assert.match(tty.screen, /\rpty  \[#{20}\]  30\/30 100%  .*\x1b\[K\r?\n/, "final line kept");
      const frames = tty.screen.match(new RegExp(PROGRESS.source, "g")) ?? [];
      assert.ok(frames.length >= 2, "a first frame and a final one at least");

      assert.equal(ci.code, 0, ci.screen);
      assert.doesNotMatch(ci.screen, /req\/s  \d+ failed/, "none under CI");
      assert.match(ci.screen, /pty: 30 requests, 30 ok/, "the run itself printed");

      assert.equal(quiet.code, 0, quiet.screen);
      assert.doesNotMatch(quiet.screen, /req\/s  \d+ failed/, "none with --quiet");

      const stderr = new TextDecoder().decode(piped.stderr);
      assert.equal(piped.code, 0, stderr);
      assert.match(stderr, /^pty: closed loop 30 requests/, "the phase started");
      assert.ok(!stderr.includes("\r"), "no carriage returns when stderr is a pipe");
      assert.doesNotMatch(stderr, /req\/s/);
    } finally {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "the main job draws one progress line per phase on a terminal, and keeps each final line",
  ignore: !SCRIPT,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "loadgate_pty_" });
    try {
      const job = [
        "job",
        "--skip-tests",
        "--requests",
        "12",
        "--concurrency",
        "3",
        "--service-ms",
        "2:4",
        "--out",
        dir,
      ];
      const tty = await onPty(job, ["TERM=xterm"]);
      assert.equal(tty.code, 0, tty.screen);
      for (const phase of ["baseline", "optimized"]) {
        assert.match(
          tty.screen,
          new RegExp(`\\r${phase}  \\[#{20}\\]  12/12 100%  .*\\x1b\\[K\\r?\\n`),
          phase,
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
