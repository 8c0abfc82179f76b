import { describe, it } from "node:test";
import { assert, assertEquals, assertRejects, assertStrictEquals, assertThrows } from "@std/assert";
import { ServerClock, sleep } from "../../src/core/clock.ts";

describe("clock: sleep", () => {
  it("resolves after roughly ms", async () => {
    const t0 = performance.now();
    await sleep(30);
    const dt = performance.now() - t0;
    assert(dt >= 25, `waited ${dt} ms`);
  });

  it("resolves with 0 ms", async () => {
    assertEquals(await sleep(0), undefined);
  });

  it("rejects at once with the reason of an already aborted signal", async () => {
    const reason = new Error("stopped");
    const t0 = performance.now();
    await assertRejects(() => sleep(60_000, AbortSignal.abort(reason)), Error, "stopped");
    assert(performance.now() - t0 < 1000);
  });

  it("rejects with an AbortError when aborted during the wait, and clears its timer", async () => {
    const ctl = new AbortController();
    const t0 = performance.now();
    const p = sleep(60_000, ctl.signal);
    setTimeout(() => ctl.abort(), 10);
    const err = await p.then(() => null, (e: unknown) => e);
    assert(err instanceof DOMException, String(err));
    assertEquals(err.name, "AbortError");
    assert(performance.now() - t0 < 5000);
    // if the 60 s timer were still pending, the runner would not exit promptly (Deno also reports a leak)
  });

  it("passes a custom abort reason through unchanged", async () => {
    const ctl = new AbortController();
    const reason = { why: "shutdown" };
    const p = sleep(60_000, ctl.signal);
    ctl.abort(reason);
    const err = await p.then(() => null, (e: unknown) => e);
    assertStrictEquals(err, reason);
  });

  it("does not reject when aborted after resolving", async () => {
    const ctl = new AbortController();
    await sleep(1, ctl.signal);
    ctl.abort(); // the listener was removed: no unhandled rejection
    await sleep(1);
  });

  it("rejects bad ms synchronously with a RangeError naming ms", () => {
    for (const ms of [-1, Number.NaN, Infinity, "5" as unknown as number]) {
      assertThrows(() => sleep(ms), RangeError, "Invalid ms");
    }
  });
});

describe("clock: ServerClock", () => {
  function fake(wall0: number, mono0: number) {
    const t = { wall: wall0, mono: mono0 };
    const clock = new ServerClock({ wallClock: () => t.wall, monotonic: () => t.mono });
    const advance = (ms: number) => {
      t.wall += ms;
      t.mono += ms;
    };
    return { t, clock, advance };
  }

  it("reports the wall clock and offset 0 before the first sync", () => {
    const { clock, advance } = fake(1_700_000_000_000, 50);
    assertEquals([clock.synced, clock.now(), clock.offsetMs, clock.roundTripMs], [
      false,
      1_700_000_000_000,
      0,
      undefined,
    ]);
    assertEquals(clock.ageMs(), Infinity);
    advance(10);
    assertEquals(clock.now(), 1_700_000_000_010);
  });

  // [server ahead by, one-way latencies out/back, expected offset estimate]
  const table: [string, number, number, number, number][] = [
    ["server ahead 1500 ms, symmetric 20/20", 1500, 20, 20, 1500],
    ["server behind 800 ms, symmetric 5/5", -800, 5, 5, -800],
    ["in sync, symmetric 0/0", 0, 0, 0, 0],
    // asymmetric paths bias the NTP estimate by (out - back) / 2
    ["server ahead 1000 ms, asymmetric 30/10", 1000, 30, 10, 1010],
  ];
  for (const [label, ahead, out, back, expected] of table) {
    it(label, () => {
      const { t, clock, advance } = fake(1_700_000_000_000, 1_000);
      const sentAt = clock.monotonicNow();
      advance(out);
      const serverTime = t.wall + ahead; // server stamps on arrival
      advance(back);
      clock.update({ serverTime, sentAt, receivedAt: clock.monotonicNow() });
      assert(clock.synced);
      assertEquals(clock.roundTripMs, out + back);
      assertEquals(clock.offsetMs, expected);
      assertEquals(clock.now(), t.wall + expected);
      advance(12_345);
      assertEquals(clock.now(), t.wall + expected);
      assertEquals(clock.ageMs(), 12_345 + (out + back) / 2);
    });
  }

  it("survives a wall-clock jump: server time follows the monotonic clock", () => {
    const { t, clock, advance } = fake(1_700_000_000_000, 0);
    clock.update({ serverTime: 1_700_000_000_200, sentAt: 0, receivedAt: 0 });
    advance(1000);
    t.wall -= 3_600_000; // local clock stepped back one hour
    assertEquals(clock.now(), 1_700_000_001_200);
    assertEquals(clock.offsetMs, 3_600_200);
  });

  it("a later measurement replaces the earlier one", () => {
    const { clock, advance } = fake(1_700_000_000_000, 0);
    clock.update({ serverTime: 1_700_000_005_000, sentAt: 0, receivedAt: 10 });
    advance(100);
    clock.update({ serverTime: 1_700_000_000_090, sentAt: 90, receivedAt: 110 });
    assertEquals([clock.now(), clock.roundTripMs], [1_700_000_000_090, 20]); // midpoint (mono 100) is now
  });

  it("returns integers", () => {
    const { clock } = fake(1_700_000_000_000.4, 0.3);
    assert(Number.isInteger(clock.now()));
    clock.update({ serverTime: 1_700_000_000_000, sentAt: 0, receivedAt: 0.7 });
    assert(Number.isInteger(clock.now()));
  });

  it("rejects bad samples with a RangeError naming the field", () => {
    const clock = new ServerClock();
    const cases: [Parameters<ServerClock["update"]>[0], string][] = [
      [{ serverTime: Number.NaN, sentAt: 0, receivedAt: 1 }, "Invalid serverTime"],
      [{ serverTime: 1, sentAt: Infinity, receivedAt: 1 }, "Invalid sentAt"],
      [{ serverTime: 1, sentAt: 0, receivedAt: "1" as unknown as number }, "Invalid receivedAt"],
      [{ serverTime: 1, sentAt: 5, receivedAt: 4 }, "Invalid receivedAt: 4 is before sentAt 5"],
    ];
    for (const [s, msg] of cases) assertThrows(() => clock.update(s), RangeError, msg);
    assertEquals(clock.synced, false);
  });

  it("defaults to Date.now and performance.now", () => {
    const clock = new ServerClock();
    const d = clock.now() - Date.now();
    assert(Math.abs(d) < 50, String(d));
    const sentAt = clock.monotonicNow();
    clock.update({ serverTime: Date.now() + 2000, sentAt, receivedAt: clock.monotonicNow() });
    assert(Math.abs(clock.offsetMs - 2000) < 50, String(clock.offsetMs));
  });
});
