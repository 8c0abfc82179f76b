/**
 * Market data against the local emulator: spot `/api/v3` and USDⓈ-M `/fapi/v1`, request shapes
 * the emulator validates, usage headers, 64-bit-safe parsing, the weight budget and 429/418.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertExists, assertRejects } from "@std/assert";
import { IpBannedError, RateLimitError } from "../../src/core/errors.ts";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";

let emu: Emulator;
let client: BinanceRestClient;
let futures: BinanceRestClient;

before(async () => {
  emu = await startEmulator({ seed: 7, paused: true });
  emu.step(50);
  client = new BinanceRestClient({ baseUrl: emu.restUrl });
  futures = new BinanceRestClient({ exchange: "binance.com-futures", baseUrl: emu.futuresRestUrl });
});
after(() => emu.close());

describe("spot market data (emulator)", () => {
  it("ping, time, exchangeInfo", async () => {
    assertEquals(await client.ping(), {});
    const { serverTime } = await client.getServerTime();
    assert(Math.abs(serverTime - Date.now()) < 5_000);
    const info = await client.getExchangeInfo({ symbols: ["BTCUSDT", "ETHUSDT"] });
    assertEquals(info.symbols.map((s) => s.symbol).sort(), ["BTCUSDT", "ETHUSDT"]);
    assert(info.symbols[0].filters.some((f) => f.filterType === "PRICE_FILTER"));
    assertEquals(client.usage.api?.weight["1M"] !== undefined, true);
  });

  it("depth, trades, aggTrades, klines, avgPrice", async () => {
    const book = await client.getOrderBook({ symbol: "BTCUSDT", limit: 5 });
    assertEquals([book.bids.length, book.asks.length], [5, 5]);
    assert(Number(book.bids[0][0]) < Number(book.asks[0][0]));
    const truth = emu.book("BTCUSDT", { limit: 5 });
    assertExists(truth);
    const trades = await client.getRecentTrades({ symbol: "BTCUSDT", limit: 3 });
    assert(trades.length <= 3);
    const agg = await client.getAggregateTrades({ symbol: "BTCUSDT", limit: 3 });
    assert(Array.isArray(agg));
    const klines = await client.getKlines({ symbol: "BTCUSDT", interval: "1m", limit: 2 });
    assert(klines.length >= 1 && klines[0].length === 12);
    const avg = await client.getAvgPrice({ symbol: "BTCUSDT" });
    assert(Number(avg.price) > 0);
  });

  it("tickers: one symbol, a list, all", async () => {
    const t = await client.getTicker({ symbol: "ETHUSDT" });
    assertEquals(t.symbol, "ETHUSDT");
    const two = await client.getSymbolTicker({ symbols: ["BTCUSDT", "ETHUSDT"] });
    assertEquals(two.map((p) => p.symbol).sort(), ["BTCUSDT", "ETHUSDT"]);
    const all = await client.getAllTickers();
    assert(all.length >= 3);
    const bt = await client.getOrderbookTicker({ symbol: "BTCUSDT" });
    assert(Number(bt.bidPrice) <= Number(bt.askPrice));
  });

  it("an unknown symbol is a BinanceApiError -1121 with the endpoint", async () => {
    const err = await assertRejects(() => client.getAvgPrice({ symbol: "NOPEUSDT" }));
    assertEquals((err as { code: number }).code, -1121);
    assertEquals((err as { endpoint: string }).endpoint, "GET /api/v3/avgPrice");
  });

  it("historicalKlines pages through the emulator's candles", async () => {
    // a virtual server clock: 12 simulated seconds give 12+ one-second klines
    let t = 1_700_000_000_000;
    const virt = await startEmulator({ seed: 3, paused: true, now: () => t });
    try {
      for (let i = 0; i < 12; i++) {
        t += 1000;
        virt.step(10);
      }
      const c = new BinanceRestClient({ baseUrl: virt.restUrl });
      const all = await c.getKlines({ symbol: "BTCUSDT", interval: "1s", limit: 1000 });
      assert(all.length >= 10, `emulator has ${all.length} 1s klines`);
      const rows = [];
      for await (
        const k of c.historicalKlines({ symbol: "BTCUSDT", interval: "1s", start: all[0][0], limit: 3 })
      ) {
        rows.push(k);
      }
      assertEquals(rows.map((r) => r[0]), all.map((r) => r[0]), "every kline once, in order, across pages");
      const tail = [];
      for await (
        const k of c.historicalKlines({
          symbol: "BTCUSDT",
          interval: "1s",
          start: all[2][0],
          end: all[5][0],
          limit: 2,
        })
      ) {
        tail.push(k[0]);
      }
      assertEquals(tail, all.slice(2, 6).map((r) => r[0]), "start/end bound the range");
    } finally {
      await virt.close();
    }
  });
});

describe("USDⓈ-M market data (emulator)", () => {
  it("ping, time, exchangeInfo, depth, klines, tickers", async () => {
    assertEquals(await futures.futuresPing(), {});
    assert((await futures.futuresTime()).serverTime > 0);
    const info = await futures.futuresExchangeInfo();
    assert(info.symbols.some((s) => s.symbol === "BTCUSDT"));
    const book = await futures.futuresOrderBook({ symbol: "BTCUSDT", limit: 10 });
    assertEquals(book.bids.length, 10);
    const k = await futures.futuresKlines({ symbol: "BTCUSDT", interval: "1m", limit: 1 });
    assertEquals(k[0].length, 12);
    const p = await futures.futuresSymbolTicker({ symbol: "BTCUSDT" });
    assertEquals((p as { symbol: string }).symbol, "BTCUSDT");
    assert(futures.usage.fapi?.weight["1M"] !== undefined);
  });

  it("getSymbolInfo reads the venue's exchangeInfo once", async () => {
    const info = await futures.getSymbolInfo("btcusdt");
    assertEquals(info?.symbol, "BTCUSDT");
    const w = futures.usage.fapi!.weight["1M"];
    assertEquals((await futures.getSymbolInfo("ETHUSDT"))?.symbol, "ETHUSDT");
    assertEquals(futures.usage.fapi!.weight["1M"], w, "served from the cache");
    assertEquals(await futures.getSymbolInfo("NOPE"), null);
  });
});

describe("rate limits (emulator faults)", () => {
  it("429 with Retry-After is waited for and retried", async () => {
    // Binance's Retry-After runs to the end of the minute: record the wait instead of sleeping it
    const sleeps: number[] = [];
    const clock = { now: () => Date.now(), sleep: (ms: number) => (sleeps.push(ms), Promise.resolve()) };
    const c = new BinanceRestClient({ baseUrl: emu.restUrl, clock });
    const h = emu.inject({ name: "rateLimit", target: "spot", count: 1 });
    try {
      assertEquals(await c.ping(), {});
      assertEquals(sleeps.length, 1);
      assert(sleeps[0] >= 1000 && sleeps[0] <= 60_000, `waited ${sleeps[0]} ms`);
    } finally {
      h.clear();
    }
  });

  it("429 beyond the retry bound raises RateLimitError", async () => {
    const c = new BinanceRestClient({ baseUrl: emu.restUrl, maxRateLimitRetries: 0 });
    const h = emu.inject({ name: "rateLimit", target: "spot", count: 1 });
    try {
      const err = await assertRejects(() => c.ping(), RateLimitError);
      assertEquals(err.status, 429);
      assert(err.retryAfter >= 1000);
    } finally {
      h.clear();
    }
  });

  it("418 raises IpBannedError with until", async () => {
    const c = new BinanceRestClient({ baseUrl: emu.restUrl });
    const h = emu.inject({ name: "ban", target: "spot", durationMs: 60_000 });
    try {
      const err = await assertRejects(() => c.ping(), IpBannedError);
      assertEquals(err.status, 418);
      assert(err.until > Date.now());
    } finally {
      h.clear();
    }
  });
});
