/**
 * The snapshot scheduler: weight budget per calendar-aligned interval (own count and the
 * used-weight header), priorities, concurrency, 429 / 418 pauses, cancel and close.
 */
import { describe, it } from "node:test";
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { getExchange } from "../../src/core/exchanges.ts";
import { IpBannedError, RateLimitError } from "../../src/core/errors.ts";
import { defaultWeightBudget, SnapshotScheduler, snapshotWeight } from "../../src/depthcache/scheduler.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Aligns to the start of a fresh interval so a test does not straddle a boundary by chance. */
async function freshInterval(ms: number): Promise<void> {
  await sleep(ms - (Date.now() % ms) + 2);
}

describe("snapshot weights and budgets (binance-api.md §3.4)", () => {
  it("spot, USD-M, COIN-M, options, Binance.US", () => {
    const spot = getExchange("binance.com");
    assertEquals([100, 500, 1000, 5000].map((l) => snapshotWeight(spot, l)), [5, 25, 50, 250]);
    const usdm = getExchange("binance.com-futures");
    assertEquals([50, 100, 500, 1000].map((l) => snapshotWeight(usdm, l)), [2, 5, 10, 20]);
    assertEquals(snapshotWeight(getExchange("binance.com-coin_futures"), 1000), 20);
    assertEquals(snapshotWeight(getExchange("binance.com-vanilla-options"), 1000), 5);
    assertEquals(snapshotWeight(getExchange("binance.us"), 1000), 10);
    assertEquals(defaultWeightBudget(spot), 3000);
    assertEquals(defaultWeightBudget(usdm), 1200);
  });

  it("rejects bad options", () => {
    assertThrows(() => new SnapshotScheduler({ weightLimit: 0 }), RangeError, "weightLimit");
    assertThrows(() => new SnapshotScheduler({ weightLimit: 10, concurrency: 0 }), RangeError, "concurrency");
    const s = new SnapshotScheduler({ weightLimit: 10 });
    assertThrows(
      () => s.schedule({ key: "A", weight: 0, run: () => Promise.resolve() }),
      RangeError,
      "weight",
    );
    s.close();
  });
});

describe("SnapshotScheduler", () => {
  it("never sends more than the budget within one interval", async () => {
    const interval = 150;
    const s = new SnapshotScheduler({ weightLimit: 100, intervalMs: interval, concurrency: 8 });
    await freshInterval(interval);
    const sentAt: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        s.schedule({
          key: `M${i}`,
          weight: 30,
          run: () => Promise.resolve(sentAt.push(Date.now())),
        })),
    );
    const perWindow = new Map<number, number>();
    for (const t of sentAt) {
      perWindow.set(Math.floor(t / interval), (perWindow.get(Math.floor(t / interval)) ?? 0) + 30);
    }
    for (const w of perWindow.values()) assert(w <= 100, `an interval used ${w}`);
    assertEquals([...perWindow.values()], [90, 90, 30]);
    assert(s.stats.waits >= 2);
    assertEquals(s.stats.weightSent, 210);
    s.close();
  });

  it("counts the used-weight header of other clients on the same IP", async () => {
    const interval = 200;
    await freshInterval(interval);
    let header = 0;
    const s = new SnapshotScheduler({
      weightLimit: 100,
      intervalMs: interval,
      readUsedWeight: () => ({ used: header, at: Date.now() }),
    });
    const order: string[] = [];
    await s.schedule({
      key: "A",
      weight: 10,
      run: () => {
        header = 95; // another process used 85 meanwhile: Binance reports 95
        order.push("A");
        return Promise.resolve();
      },
    });
    assertEquals(s.used, 95);
    const t0 = Date.now();
    await s.schedule({ key: "B", weight: 10, run: () => Promise.resolve(order.push("B")) });
    assert(
      Math.floor(Date.now() / interval) > Math.floor(t0 / interval),
      "B must wait for the next interval",
    );
    assertEquals(order, ["A", "B"]);
    s.close();
  });

  it("runs resyncs before first syncs before refreshes, and at most `concurrency` at once", async () => {
    const s = new SnapshotScheduler({ weightLimit: 1000, concurrency: 2 });
    const order: string[] = [];
    let active = 0;
    let peak = 0;
    const task = (key: string, priority: number) =>
      s.schedule({
        key,
        weight: 1,
        priority,
        run: async () => {
          active++;
          peak = Math.max(peak, active);
          order.push(key);
          await sleep(10);
          active--;
        },
      });
    const all = [
      task("first", 1),
      task("refresh", 2),
      task("sync", 1),
      task("resync", 0),
      task("refresh2", 2),
    ];
    await Promise.all(all);
    // the first two start at once; the queue then drains by priority
    assertEquals(order, ["first", "refresh", "resync", "sync", "refresh2"]);
    assertEquals(peak, 2);
    s.close();
  });

  it("pauses every request for Retry-After after a 429, until the ban ends after a 418", async () => {
    const s = new SnapshotScheduler({ weightLimit: 1000 });
    const t0 = Date.now();
    const first = s.schedule({
      key: "A",
      weight: 5,
      run: () => Promise.reject(new RateLimitError("Rate limit hit", { status: 429, retryAfter: 1000 })),
    });
    await assertRejects(() => first, RateLimitError);
    const next = (await s.schedule({ key: "B", weight: 5, run: () => Promise.resolve(Date.now()) }))!;
    assert(next - t0 >= 990, `sent ${next - t0} ms after the 429`);
    assertEquals(s.stats.rateLimited, 1);

    const until = Date.now() + 300;
    await assertRejects(
      () =>
        s.schedule({
          key: "C",
          weight: 5,
          run: () => Promise.reject(new IpBannedError("IP banned", { status: 418, until })),
        }),
      IpBannedError,
    );
    const after = (await s.schedule({ key: "D", weight: 5, run: () => Promise.resolve(Date.now()) }))!;
    assert(after >= until - 5, "sent during the ban");
    assertEquals(s.stats.banned, 1);
    s.close();
  });

  it("a task whose skip() says so is dropped unsent, without weight", async () => {
    const s = new SnapshotScheduler({ weightLimit: 100 });
    let gone = false;
    let sent = 0;
    const a = s.schedule({ key: "A", weight: 50, skip: () => gone, run: () => Promise.resolve(++sent) });
    assertEquals(await a, 1); // sent at once
    gone = true;
    const b = s.schedule({ key: "A", weight: 50, skip: () => gone, run: () => Promise.resolve(++sent) });
    assertEquals(await b, undefined);
    assertEquals([sent, s.stats.skipped, s.stats.weightSent, s.used], [1, 1, 50, 50]);
    s.close();
  });

  it("cancel removes waiting requests of a key; close rejects the rest", async () => {
    const s = new SnapshotScheduler({ weightLimit: 10, intervalMs: 60_000 });
    await s.schedule({ key: "A", weight: 10, run: () => Promise.resolve() });
    const b = s.schedule({ key: "B", weight: 10, run: () => Promise.resolve() });
    const c = s.schedule({ key: "C", weight: 10, run: () => Promise.resolve() });
    assertEquals(s.cancel("B"), 1);
    await assertRejects(() => b, RangeError, "cancelled");
    s.close();
    await assertRejects(() => c, RangeError, "closed");
    await assertRejects(() => s.schedule({ key: "D", weight: 1, run: () => Promise.resolve() }), RangeError);
  });
});
