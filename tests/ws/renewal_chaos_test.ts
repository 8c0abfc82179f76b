/**
 * Listen-token renewal without a gap, under traffic: a margin user-data stream renews its token
 * every ~150 ms (validity 600 ms, renewed after a quarter of it) on an overlapping second connection, while
 * margin orders are placed and cancelled without pause. Every order's NEW and CANCELED
 * `executionReport` must arrive exactly once across ≥ 100 renewals. Prints the figures.
 * `UB_RENEWALS=500` runs longer.
 */
import { describe, it } from "node:test";
import process from "node:process";
import { assert, assertEquals } from "@std/assert";
import { startEmulator } from "../../src/testing/mod.ts";
import { BinanceWebSocketManager } from "../../src/ws/manager.ts";
import { ConnectAttemptBudget } from "../../src/ws/attempt_budget.ts";
import type { StreamSignal } from "../../src/ws/signals.ts";
import { OverlapDedupe } from "../../src/ws/_overlap_dedupe.ts";
import { signedCaller } from "../testing/_sign.ts";
import { until } from "./_stream_server.ts";
import { ACCOUNTS, KEY, SECRET } from "./_venues.ts";

const RENEWALS = Number(process.env.UB_RENEWALS ?? 100);

describe("listen-token renewal", () => {
  it("the overlap de-duplication delivers each event once (table)", () => {
    const cases: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, string]>, string, boolean]> =
      [
        ["old only", [["A", "e1"], ["A", "e2"]], "e1 e2", false],
        ["both copies, old first", [["A", "e1"], ["B", "e1"], ["B", "e2"]], "e1 e2", true],
        ["both copies, new first", [["B", "e1"], ["A", "e1"], ["A", "e2"], ["B", "e2"]], "e1 e2", true],
        ["identical events twice on both", [["A", "x"], ["A", "x"], ["B", "x"], ["B", "x"]], "x x", true],
        ["one copy each side", [["A", "e1"], ["B", "e2"]], "e1 e2", true],
      ];
    for (const [what, arrivals, expected, overlap] of cases) {
      const d = new OverlapDedupe<string>();
      d.overlapping = overlap;
      const out = arrivals.filter(([s, k]) => d.admit(s, k)).map(([, k]) => k).join(" ");
      assertEquals(out, expected, what);
    }
    // after the overlap the retired source's record still matches the late copies of the new one
    const d = new OverlapDedupe<string>();
    d.overlapping = true;
    d.admit("A", "late");
    d.overlapping = false;
    assertEquals([d.admit("B", "late"), d.admit("B", "late")], [false, true]);
  });

  it(`no margin event is lost or doubled across ≥ ${RENEWALS} renewals with traffic`, async () => {
    // the traffic is REST orders: lift the /sapi weight limits for it
    await using emu = await startEmulator({
      paused: true,
      intervalMs: 20,
      accounts: ACCOUNTS,
      limits: { sapiRequestWeight: 100_000_000 },
    });
    const signals: StreamSignal[] = [];
    await using ws = new BinanceWebSocketManager({
      exchange: "binance.com-margin",
      restUrl: emu.restUrl,
      wsApiUrl: emu.wsApiUrl,
      backoffBaseMs: 20,
      // the default connection-attempt budget (250 per 5 minutes) stays: a renewal every 150 ms
      // is past it after 250 renewals, and a renewal must not wait for it (the next test)
      onStreamSignal: (s) => void signals.push(s),
    });
    const seen = new Map<string, number>();
    let terminated = 0;
    const id = ws.createUserDataStream({
      apiKey: KEY,
      apiSecret: SECRET,
      listenTokenValidityMs: 600,
      output: "parsed",
      onData: (m) => {
        const ev = (m.data as { event?: { e: string; i?: unknown; x?: string } }).event;
        if (ev?.e === "eventStreamTerminated") terminated++;
        if (ev?.e !== "executionReport") return;
        const k = `${ev.i}:${ev.x}`;
        seen.set(k, (seen.get(k) ?? 0) + 1);
      },
    });
    await until(() => signals.some((s) => s.type === "CONNECT"), 10_000, "connect");
    const call = signedCaller(emu.restUrl, KEY, SECRET);
    const order = async (): Promise<string> => {
      const placed = await call("POST", "/sapi/v1/margin/order", {
        symbol: "BTCUSDT",
        side: "BUY",
        type: "LIMIT",
        timeInForce: "GTC",
        price: "30000",
        quantity: "0.001",
      });
      assertEquals(placed.status, 200, JSON.stringify(placed.body));
      const orderId = String(placed.body.orderId);
      const cancelled = await call("DELETE", "/sapi/v1/margin/order", { symbol: "BTCUSDT", orderId });
      assertEquals(cancelled.status, 200, JSON.stringify(cancelled.body));
      return orderId;
    };
    // probe until the subscription delivers: every order after that is counted
    const probeEnd = Date.now() + 10_000;
    while (seen.size === 0) {
      assert(Date.now() < probeEnd, "the subscription never delivered");
      await order();
      await until(() => seen.size > 0, 200).catch(() => {});
    }
    const expected: string[] = [];
    let stop = false;
    const traffic = (async () => {
      while (!stop) {
        const orderId = await order();
        expected.push(`${orderId}:NEW`, `${orderId}:CANCELED`);
      }
    })();
    // a failure below must not leave the traffic loop failing against the closed emulator
    traffic.catch(() => {});
    const started = Date.now();
    const base = ws.getStatistics(id).rotations;
    try {
      await until(
        () => ws.getStatistics(id).rotations - base >= RENEWALS,
        RENEWALS * 1000,
        `${RENEWALS} renewals`,
      );
    } finally {
      stop = true;
    }
    await traffic;
    const counted = expected;
    await until(() => counted.every((k) => seen.has(k)), 10_000, "every event").catch(() => {});
    const lost = counted.filter((k) => !seen.has(k));
    const doubled = counted.filter((k) => (seen.get(k) ?? 0) > 1);
    const stats = ws.getStatistics(id);
    console.log(
      `renewal chaos: ${stats.rotations - base} renewals in ${
        Date.now() - started
      } ms, ${counted.length} events ` +
        `(${
          counted.length / 2
        } orders), lost ${lost.length}, doubled ${doubled.length}, reconnects ${stats.reconnects}, tokens expired before their renewal ${terminated}`,
    );
    assertEquals(
      [lost.length, doubled.length],
      [0, 0],
      `lost ${lost.slice(0, 5)} doubled ${doubled.slice(0, 5)}`,
    );
    assert(counted.length >= RENEWALS, "traffic during the renewals");
    // a renewal is not a reconnect: one CONNECT, no DISCONNECT
    assertEquals(signals.filter((s) => s.streamId === id).map((s) => s.type), [
      "CONNECT",
      "FIRST_RECEIVED_DATA",
    ]);
  });

  it("a renewal does not wait for a spent connection-attempt budget (the old token would run out)", async () => {
    await using emu = await startEmulator({ paused: true, accounts: ACCOUNTS });
    await using ws = new BinanceWebSocketManager({
      exchange: "binance.com-margin",
      restUrl: emu.restUrl,
      wsApiUrl: emu.wsApiUrl,
      // three attempts a minute: the first connection and two renewals spend it
      connectAttemptBudget: new ConnectAttemptBudget({ limit: 3, windowMs: 60_000 }),
    });
    let terminated = 0;
    const id = ws.createUserDataStream({
      apiKey: KEY,
      apiSecret: SECRET,
      listenTokenValidityMs: 600,
      output: "parsed",
      onData: (m) => {
        const ev = (m.data as { event?: { e: string } }).event;
        if (ev?.e === "eventStreamTerminated") terminated++;
      },
    });
    // a renewal waiting for the budget would not come for a minute, and its token would end
    await until(() => ws.getStatistics(id).rotations >= 8, 20_000, "8 renewals");
    assertEquals(terminated, 0, "a token ran out before its renewal");
  });
});
