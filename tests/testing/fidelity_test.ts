/**
 * Emulator fidelity fixes: klines honour `startTime` exactly (only candles opening at or after
 * it), and order responses carry the order-count headers (spot 10S/1D, USD-M 1M).
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { getJson } from "./_ws.ts";
import { signedCaller } from "./_sign.ts";

const T0 = Date.UTC(2026, 0, 5, 10, 0, 30);

describe("emulator fidelity", () => {
  let emu: Emulator;
  let clock = T0;
  before(async () => {
    emu = await startEmulator({
      seed: 3,
      paused: true,
      now: () => clock,
      accounts: [{ apiKey: "k1", secretKey: "s1" }],
    });
    // five minutes of trading, ten steps per minute
    for (let i = 0; i < 50; i++) {
      emu.step();
      clock += 6_000;
    }
  });
  after(() => emu.close());

  for (const [venue, base] of [["spot", "/api/v3"], ["usdm", "/fapi/v1"]] as const) {
    it(`${venue} klines: startTime inside a candle excludes that candle`, async () => {
      const start = T0 + 60_000; // 10:01:30, inside the 10:01 candle
      const all = (await getJson(`${emu.restUrl}${base}/klines?symbol=BTCUSDT&interval=1m`))
        .body as number[][];
      assert(all.length >= 5, `expected 5+ candles, got ${all.length}`);
      const some = (await getJson(
        `${emu.restUrl}${base}/klines?symbol=BTCUSDT&interval=1m&startTime=${start}`,
      )).body as number[][];
      assert(some.length > 0);
      for (const k of some) assert(k[0] >= start, `candle ${k[0]} opens before startTime ${start}`);
      assertEquals(some[0][0], Date.UTC(2026, 0, 5, 10, 2));
      assertEquals(some.length, all.filter((k) => k[0] >= start).length);
      // a startTime on a boundary includes the candle opening there
      const edge = (await getJson(
        `${emu.restUrl}${base}/klines?symbol=BTCUSDT&interval=1m&startTime=${Date.UTC(2026, 0, 5, 10, 2)}`,
      )).body as number[][];
      assertEquals(edge[0][0], Date.UTC(2026, 0, 5, 10, 2));
    });
  }

  it("order counts: spot 10S/1D, USD-M 1M per account", async () => {
    const spot = signedCaller(emu.restUrl, "k1", "s1");
    const book = emu.book("BTCUSDT", { limit: 1 });
    const price = (Number(book.bids[0][0]) * 0.95).toFixed(2);
    const origNow = Date.now;
    // signedCaller stamps Date.now(); the emulator's clock is pinned, so align the two
    Date.now = () => clock;
    try {
      const order = {
        symbol: "BTCUSDT",
        side: "BUY",
        type: "LIMIT",
        timeInForce: "GTC",
        quantity: "0.001",
        price,
      };
      const a = await spot("POST", "/api/v3/order", order);
      assertEquals(a.status, 200);
      assertEquals(a.headers.get("X-MBX-ORDER-COUNT-10S"), "1");
      assertEquals(a.headers.get("X-MBX-ORDER-COUNT-1D"), "1");
      const b = await spot("POST", "/api/v3/order", order);
      assertEquals(b.headers.get("X-MBX-ORDER-COUNT-10S"), "2");
      const fut = signedCaller(emu.futuresRestUrl, "k1", "s1");
      const fb = emu.book("BTCUSDT", { market: "usdm", limit: 1 });
      const fprice = (Number(fb.bids[0][0]) * 0.95).toFixed(1);
      const fo = {
        symbol: "BTCUSDT",
        side: "BUY",
        type: "LIMIT",
        timeInForce: "GTC",
        quantity: "0.002",
        price: fprice,
      };
      const f1 = await fut("POST", "/fapi/v1/order", fo);
      assertEquals(f1.status, 200, JSON.stringify(f1.body));
      assertEquals(f1.headers.get("X-MBX-ORDER-COUNT-1M"), "1");
      assertEquals(f1.headers.get("X-MBX-ORDER-COUNT-10S"), null);
      const f2 = await fut("POST", "/fapi/v1/order", fo);
      assertEquals(f2.headers.get("X-MBX-ORDER-COUNT-1M"), "2");
      clock += 60_000; // next minute: the 1M window starts over
      const f3 = await fut("POST", "/fapi/v1/order", fo);
      assertEquals(f3.headers.get("X-MBX-ORDER-COUNT-1M"), "1");
      // failed orders carry no count
      const bad = await fut("POST", "/fapi/v1/order", { ...fo, quantity: "0.0001" });
      assertEquals(bad.status, 400);
      assertEquals(bad.headers.get("X-MBX-ORDER-COUNT-1M"), null);
    } finally {
      Date.now = origNow;
    }
  });
});
