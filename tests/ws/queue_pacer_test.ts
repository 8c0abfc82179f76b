import { describe, it } from "node:test";
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { BoundedQueue } from "../../src/ws/queue.ts";
import { SendPacer } from "../../src/ws/pacer.ts";

describe("BoundedQueue", () => {
  it("dropOldest keeps the newest and counts drops", () => {
    const q = new BoundedQueue<number>({ capacity: 3 });
    for (let i = 0; i < 10; i++) q.push(i);
    assertEquals([q.length, q.dropped], [3, 7]);
    assertEquals([q.shift(), q.shift(), q.shift(), q.shift()], [7, 8, 9, undefined]);
  });
  it("dropNewest keeps the queued items", () => {
    const q = new BoundedQueue<number>({ capacity: 2, overflow: "dropNewest" });
    assertEquals([q.push(1), q.push(2), q.push(3)], [true, true, false]);
    assertEquals([q.shift(), q.shift(), q.dropped], [1, 2, 1]);
  });
  it("pop takes the newest (LIFO)", () => {
    const q = new BoundedQueue<number>();
    q.push(1);
    q.push(2);
    assertEquals([q.pop(), q.pop(), q.pop()], [2, 1, undefined]);
  });
  it("grows its ring past the initial size in order", () => {
    const q = new BoundedQueue<number>({ capacity: 5000 });
    for (let i = 0; i < 3000; i++) q.push(i);
    for (let i = 0; i < 1500; i++) assertEquals(q.shift(), i);
    for (let i = 3000; i < 6000; i++) q.push(i);
    assertEquals(q.length, 4500 - 0);
    assertEquals(q.shift(), 1500);
  });
  it("async iteration hands pushed items to a waiting reader and ends on close", async () => {
    const q = new BoundedQueue<number>({ capacity: 4 });
    const got: number[] = [];
    const reader = (async () => {
      for await (const x of q) got.push(x);
    })();
    q.push(1);
    await Promise.resolve();
    q.push(2);
    q.push(3);
    q.close();
    await reader;
    assertEquals(got, [1, 2, 3]);
    assert(!q.push(4));
  });
  it("fail() rejects the reader after the queued items", async () => {
    const q = new BoundedQueue<number>();
    q.push(1);
    q.fail(new Error("boom"));
    assertEquals(await q.next(), { value: 1, done: false });
    await assertRejects(() => q.next(), Error, "boom");
  });
  it("a slow consumer keeps memory bounded", () => {
    const q = new BoundedQueue<string>({ capacity: 100 });
    for (let i = 0; i < 100_000; i++) q.push("x".repeat(10));
    assertEquals([q.length, q.dropped], [100, 99_900]);
  });
  it("rejects bad options", () => {
    assertThrows(() => new BoundedQueue({ capacity: 0 }), RangeError, "capacity");
    // deno-lint-ignore no-explicit-any
    assertThrows(() => new BoundedQueue({ overflow: "block" as any }), RangeError, "overflow");
  });
});

describe("SendPacer", () => {
  it("sends evenly spaced, never more than perSecond in any rolling second", async () => {
    const times: number[] = [];
    const p = new SendPacer({ perSecond: 10, marginMs: 0, send: () => times.push(Date.now()) });
    const t0 = Date.now();
    for (let i = 0; i < 15; i++) p.enqueue(String(i));
    assertEquals(times.length, 1);
    await new Promise((r) => setTimeout(r, 1600));
    assertEquals(times.length, 15);
    for (let i = 1; i < times.length; i++) {
      assert(times[i] - times[i - 1] >= 98, `gap ${i}: ${times[i] - times[i - 1]}`);
    }
    for (let i = 10; i < times.length; i++) assert(times[i] - times[i - 10] >= 999, `window ${i}`);
    assert(times[14] - t0 >= 1390);
    p.close();
  });
  it("without even spacing it bursts up to the window limit", async () => {
    const times: number[] = [];
    const p = new SendPacer({
      perSecond: 10,
      marginMs: 0,
      evenSpacing: false,
      send: () => times.push(Date.now()),
    });
    for (let i = 0; i < 25; i++) p.enqueue(String(i));
    assertEquals(times.length, 10);
    await new Promise((r) => setTimeout(r, 2150));
    assertEquals(times.length, 25);
    for (let i = 10; i < times.length; i++) assert(times[i] - times[i - 10] >= 999, `window ${i}`);
    p.close();
  });
  it("clear() drops the backlog and close() refuses more", () => {
    const sent: string[] = [];
    const p = new SendPacer({ perSecond: 1, send: (t) => sent.push(t) });
    p.enqueue("a");
    p.enqueue("b");
    assertEquals(p.pending, 1);
    p.clear();
    assertEquals(p.pending, 0);
    p.close();
    p.enqueue("c");
    assertEquals(sent, ["a"]);
  });
});
