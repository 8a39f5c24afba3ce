/**
 * Shared pieces of the benchmark scripts: run a command and measure its wall
 * time, CPU seconds and peak resident memory; start the benchmark server in
 * its own process; find tools on PATH; describe the machine. Not a test.
 *
 * CPU and peak RSS come from GNU time (`/usr/bin/time`, the kernel's rusage
 * of the child) when it is installed; otherwise from polling
 * `/proc/<pid>/status` and `/proc/<pid>/stat` every 20 ms (Linux only; the
 * last 20 ms of a run can be missed).
 *
 * @module
 */

/** What a measured command did and cost. */
export interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  wallS: number;
  /** User + system CPU seconds; NaN when unknown. */
  cpuS: number;
  /** Peak resident set, MB; NaN when unknown. */
  peakRssMb: number;
}

const GNU_TIME = "/usr/bin/time";
const decoder = new TextDecoder();

/** True when `path` exists and is a file. */
async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** The full path of `name` on PATH, or null. */
export async function findOnPath(name: string): Promise<string | null> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir && await isFile(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return null;
}

/** Runs `cmd args` to completion and measures it. */
export async function measure(cmd: string, args: string[]): Promise<Measured> {
  if (await isFile(GNU_TIME)) return await measureWithTime(cmd, args);
  return await measureByPolling(cmd, args);
}

async function measureWithTime(cmd: string, args: string[]): Promise<Measured> {
  const report = await Deno.makeTempFile({ prefix: "loadgate_bench_time_" });
  try {
    const t0 = performance.now();
    const out = await new Deno.Command(GNU_TIME, {
      args: ["-f", "%U %S %M", "-o", report, cmd, ...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const wallS = (performance.now() - t0) / 1000;
    const last = (await Deno.readTextFile(report)).trim().split("\n").pop() ?? "";
    const [user, sys, rssKb] = last.split(" ").map(Number);
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
      wallS,
      cpuS: (user ?? NaN) + (sys ?? NaN),
      peakRssMb: (rssKb ?? NaN) / 1024,
    };
  } finally {
    await Deno.remove(report).catch(() => {});
  }
}

async function measureByPolling(cmd: string, args: string[]): Promise<Measured> {
  const t0 = performance.now();
  const child = new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "piped" })
    .spawn();
  let peakKb = NaN;
  let cpuTicks = NaN;
  const poll = async () => {
    try {
      const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
      const hwm = /VmHWM:\s+(\d+)/.exec(status);
      if (hwm) peakKb = Number(hwm[1]);
      const stat = await Deno.readTextFile(`/proc/${child.pid}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpuTicks = Number(fields[11]) + Number(fields[12]);
    } catch { /* exited */ }
  };
  const timer = setInterval(poll, 20);
  const out = await child.output();
  clearInterval(timer);
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
    wallS: (performance.now() - t0) / 1000,
    cpuS: cpuTicks / 100,
    peakRssMb: peakKb / 1024,
  };
}

/** A server process started for a benchmark. */
export interface BenchServer {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

/** Starts `tests/bench/bench_server.ts` in its own process. */
export function startBenchServer(delayMs: number): Promise<BenchServer> {
  const script = new URL("./bench_server.ts", import.meta.url).pathname;
  return startServerProcess([script, "--delay-ms", String(delayMs)]);
}

/** Wraps a command (for example to raise a limit first); the identity by default. */
export type CommandWrap = (cmd: string, args: string[]) => [string, string[]];

/** Starts loadgate's stub (`stub_server.ts`) in its own process, with `stubArgs`. */
export function startStubServer(stubArgs: string[], wrap?: CommandWrap): Promise<BenchServer> {
  const script = new URL("../../stub_server.ts", import.meta.url).pathname;
  return startServerProcess([script, ...stubArgs], wrap);
}

/** Starts a script that prints `{"url", "pid"}` on its first line and stops when stdin closes. */
async function startServerProcess(
  scriptArgs: string[],
  wrap: CommandWrap = (cmd, args) => [cmd, args],
): Promise<BenchServer> {
  const [cmd, args] = wrap(Deno.execPath(), [
    "run",
    "--quiet",
    "--allow-net=127.0.0.1",
    ...scriptArgs,
  ]);
  const child = new Deno.Command(cmd, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stdin = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) break;
    text += value;
  }
  reader.releaseLock();
  const stop = async () => {
    await stdin.close().catch(() => {});
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await child.status;
    clearTimeout(timer);
    await child.stdout.cancel().catch(() => {});
  };
  try {
    const info = JSON.parse(text.split("\n")[0] ?? "") as { url: string; pid: number };
    return { url: info.url, pid: info.pid, stop };
  } catch {
    await stop();
    throw new Error(`The benchmark server did not start (it printed ${JSON.stringify(text)})`);
  }
}

/** Where Debian puts nginx (not on a normal user's PATH). */
const NGINX_PATHS = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"];

/** The nginx binary, or null when it is not installed. */
export async function findNginx(): Promise<string | null> {
  for (const path of NGINX_PATHS) if (await isFile(path)) return path;
  return await findOnPath("nginx");
}

/**
 * Starts nginx (`binary`) with tests/bench/nginx.conf on a free port of 127.0.0.1: one
 * process answering a fixed 40-byte JSON. Stopped (and its directory removed) by `stop`.
 */
export async function startNginxServer(binary: string): Promise<BenchServer> {
  const prefix = await Deno.makeTempDir({ prefix: "loadgate_nginx_" });
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const template = await Deno.readTextFile(new URL("./nginx.conf", import.meta.url));
  const conf = `${prefix}/nginx.conf`;
  await Deno.writeTextFile(
    conf,
    template.replaceAll("@PREFIX@", prefix).replaceAll("@PORT@", String(port)),
  );
  const child = new Deno.Command(binary, {
    args: ["-p", prefix, "-c", conf, "-e", `${prefix}/error.log`],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGQUIT");
    } catch { /* already gone */ }
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await child.output().catch(() => {});
    clearTimeout(timer);
    await Deno.remove(prefix, { recursive: true }).catch(() => {});
  };
  // Ready once it accepts a connection (at most 5 s).
  const t0 = performance.now();
  while (performance.now() - t0 < 5000) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return { url: `http://127.0.0.1:${port}/v1/infer`, pid: child.pid, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await stop();
  throw new Error(`nginx did not start on port ${port}`);
}

/** CPU seconds (user + system) a running process has used so far, from /proc; NaN elsewhere. */
export async function cpuSecondsOf(pid: number): Promise<number> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** One line on the machine and its load: cores, CPU model, load average, Deno version. */
export async function machineLine(): Promise<string> {
  let model: string = Deno.build.arch;
  const load = await loadAvg();
  try {
    model = /model name\s*:\s*(.*)/.exec(await Deno.readTextFile("/proc/cpuinfo"))?.[1] ?? model;
  } catch { /* not Linux */ }
  return `${navigator.hardwareConcurrency} cores (${model}), load average ${load}, ` +
    `deno ${Deno.version.deno}; generator and server share these cores`;
}

/** The 1-, 5- and 15-minute load averages (`/proc/loadavg`), or "?" off Linux. */
export async function loadAvg(): Promise<string> {
  try {
    return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  } catch {
    return "?";
  }
}

/** The median of `values` (NaN for none). */
export function median(values: number[]): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** `v` with `digits` decimals, or `-` when it is not a number. */
export function fmt(v: number, digits = 1): string {
  return Number.isFinite(v) ? v.toFixed(digits) : "-";
}

/** A Markdown table from a header row and rows, columns padded. */
export function markdownTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length), 3));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `| ${
    widths.map((w, i) => (i === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")
  } |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
