import assert from "node:assert/strict";
import { type DeadlineEntry, Deadlines } from "../../lib/load/deadlines.ts";

/** Resolves once `check` holds, polling every millisecond (at most 2 s). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
}

Deno.test("Deadlines ends an entry once, only after its deadline, and never one taken off", async () => {
  let t = 0;
  const expired: string[] = [];
  type Entry = DeadlineEntry & { name: string };
  const deadlines = new Deadlines<Entry>((e) => expired.push(e.name), () => t);
  const entry = (name: string): Entry => ({ name, deadline: 0, slot: -1 });
  const [a, b, c] = [entry("a"), entry("b"), entry("c")];
  try {
    deadlines.track(a, 20); // due at 20; a tick is 1 ms
    deadlines.track(b, 40); // due at 40
    deadlines.track(c, 20);
    deadlines.untrack(c);
    assert.equal(c.slot, -1);
    t = 20; // at the deadline: not past it
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(expired, []);
    t = 30;
    await until(() => expired.length > 0);
    await new Promise((r) => setTimeout(r, 10)); // more ticks: a stays on the list, ended once
    assert.deepEqual(expired, ["a"]);
    deadlines.untrack(a);
    assert.equal(b.slot, 0);
    t = 100;
    await until(() => expired.length > 1);
    assert.deepEqual(expired, ["a", "b"]);
  } finally {
    deadlines.close();
  }
});

Deno.test("Deadlines tracks no infinite timeout and starts no timer for it", () => {
  const deadlines = new Deadlines<DeadlineEntry>(() => assert.fail("expired"));
  const e = { deadline: 0, slot: -1 };
  deadlines.track(e, Infinity);
  assert.equal(e.slot, -1);
  deadlines.untrack(e); // the sanitizer checks that no interval was left
});

Deno.test("Deadlines.track() counts from a given reading of its clock, else from now", () => {
  let t = 100;
  const deadlines = new Deadlines<DeadlineEntry>(() => {}, () => t);
  try {
    const sent = { deadline: 0, slot: -1 };
    const later = { deadline: 0, slot: -1 };
    deadlines.track(sent, 50, 90); // the request's send time, read before tracking
    t = 120;
    deadlines.track(later, 50);
    assert.deepEqual([sent.deadline, later.deadline], [140, 170]);
  } finally {
    deadlines.close();
  }
});
