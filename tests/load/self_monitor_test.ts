import assert from "node:assert/strict";
import {
  clientBottleneck,
  type CpuTime,
  type MonitorDeps,
  realMonitorDeps,
  type SelfMonitorSummary,
  startSelfMonitor,
} from "../../lib/load/self_monitor.ts";
import { parseProcStat, processCpuClock } from "../../lib/load/process_cpu.ts";

/** A hand-driven clock: `fire(late)` runs the pending timer `late` ms after it was due. */
function fakeDeps(): MonitorDeps & { fire(lateMs: number): void; pending(): number } {
  let now = 0;
  let cpu: CpuTime = { user: 0, system: 0 };
  let timer: { fn: () => void; due: number } | null = null;
  return {
    now: () => now,
    setTimer(fn, ms) {
      const t = { fn, due: now + ms };
      timer = t;
      return () => {
        if (timer === t) timer = null;
      };
    },
    cpuUsage: () => cpu,
    fire(lateMs) {
      const t = timer;
      if (!t) throw new Error("no timer armed");
      timer = null;
      cpu = { user: cpu.user + (t.due + lateMs - now) * 400, system: cpu.system + 100 };
      now = t.due + lateMs;
      t.fn();
    },
    pending: () => (timer ? 1 : 0),
  };
}

Deno.test("the sampler records each timer's lateness and the CPU share over the run", () => {
  const deps = fakeDeps();
  const monitor = startSelfMonitor({ intervalMs: 5, deps });
  const lates = [...Array(98).fill(0), 3, 20];
  for (const late of lates) deps.fire(late);
  const s = monitor.stop();
  assert.equal(deps.pending(), 0, "stop() cancels the armed timer");
  assert.equal(s.lag_samples, 100);
  assert.equal(s.lag_p50_ms, 0);
  assert.equal(s.lag_max_ms, 20);
  assert.ok(Math.abs(s.lag_p99_ms - (3 + 0.01 * 17)) < 0.02, `p99 ${s.lag_p99_ms}`);
  assert.equal(s.wall_ms, 100 * 5 + 23);
  // 400 µs user per ms of wall time, plus 100 µs system per firing.
  assert.ok(Math.abs(s.cpu_ms - (0.4 * 523 + 10)) < 1e-9);
  assert.ok(Math.abs(s.cpu_share - s.cpu_ms / 523) < 1e-12);
});

Deno.test("the real sampler measures some lag and stops without leaking its timer", async () => {
  const monitor = startSelfMonitor({ intervalMs: 2, deps: await realMonitorDeps() });
  await new Promise((r) => setTimeout(r, 30));
  const s = monitor.stop();
  assert.ok(s.lag_samples >= 1, `samples ${s.lag_samples}`);
  assert.ok(s.lag_max_ms >= 0 && s.cpu_ms >= 0 && s.wall_ms >= 25);
});

function summary(lagP99: number, cpuShare: number, samples = 100): SelfMonitorSummary {
  return {
    interval_ms: 5,
    lag_samples: samples,
    lag_p50_ms: 0.1,
    lag_p99_ms: lagP99,
    lag_max_ms: lagP99,
    cpu_ms: cpuShare * 1000,
    wall_ms: 1000,
    cpu_share: cpuShare,
  };
}

Deno.test("clientBottleneck() is null for a client with headroom", () => {
  assert.equal(clientBottleneck(summary(1.2, 0.4)), null);
  assert.equal(clientBottleneck(summary(NaN, NaN, 0)), null);
});

Deno.test("clientBottleneck() warns on a late event loop or a busy core, saying which", () => {
  const lag = clientBottleneck(summary(12.34, 0.3));
  assert.match(lag ?? "", /lag P99 12\.3 ms > 5 ms/);
  assert.doesNotMatch(lag ?? "", /CPU/);
  const cpu = clientBottleneck(summary(0.5, 0.97));
  assert.match(cpu ?? "", /CPU 0\.97 of a core >= 0\.90/);
  assert.ok(!cpu?.includes("\n"));
  assert.match(clientBottleneck(summary(8, 1.0)) ?? "", /lag P99 .*; CPU/);
  assert.equal(clientBottleneck(summary(8, 0.5), { lagP99Ms: 10, cpuShare: 0.9 }), null);
});

Deno.test("parseProcStat() reads utime and stime after a command name with spaces and parens", () => {
  const line = "4242 (deno (main) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 " +
    "257 31 0 0 20 0 9 0 123456 1000000 5000 18446744073709551615";
  assert.deepEqual(parseProcStat(line), { user: 2_570_000, system: 310_000 });
  assert.throws(() => parseProcStat("garbage"), /Cannot read CPU times/);
});

Deno.test("the CPU clock agrees with node:process's cpuUsage and counts busy time", async () => {
  const { default: process } = await import("node:process");
  const clock = await processCpuClock();
  const total = (t: CpuTime) => t.user + t.system;
  const [ours0, node0] = [total(clock()), total(process.cpuUsage())];
  // Busy until node:process has counted 300 ms of CPU (not 300 ms of wall time: on a busy
  // machine a 300 ms loop may get a fraction of a core), within 20 s.
  const until = performance.now() + 20_000;
  while (total(process.cpuUsage()) - node0 < 300_000 && performance.now() < until) { /* busy */ }
  const [ours, node] = [total(clock()) - ours0, total(process.cpuUsage()) - node0];
  // /proc counts in 10 ms ticks: the two agree to a couple of ticks, and both saw the busy loop.
  assert.ok(ours >= 250_000 && Math.abs(ours - node) <= 30_000, `ours ${ours} µs, node ${node} µs`);
});
