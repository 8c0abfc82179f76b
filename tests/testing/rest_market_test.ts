import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { getJson } from "./_ws.ts";

describe("REST market data", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 5, intervalMs: 10 });
  });
  after(async () => {
    await emu.close();
  });

  it("ping, time, exchangeInfo with filters", async () => {
    assertEquals((await getJson(`${emu.restUrl}/api/v3/ping`)).body, {});
    const t = await getJson(`${emu.restUrl}/api/v3/time`);
    assert(Math.abs(t.body.serverTime - Date.now()) < 5000);
    const info = (await getJson(`${emu.restUrl}/api/v3/exchangeInfo?symbol=BTCUSDT`)).body;
    assertEquals(info.symbols.length, 1);
    const f = Object.fromEntries(
      info.symbols[0].filters.map((x: { filterType: string }) => [x.filterType, x]),
    );
    assertEquals(f.PRICE_FILTER.tickSize, "0.01000000");
    assertEquals(f.LOT_SIZE.stepSize, "0.00001000");
    assertEquals(f.NOTIONAL.minNotional, "5.00000000");
    const fut = (await getJson(`${emu.futuresRestUrl}/fapi/v1/exchangeInfo`)).body;
    assertEquals(fut.futuresType, "U_MARGINED");
    assert(fut.symbols[0].filters.some((x: { filterType: string }) => x.filterType === "MIN_NOTIONAL"));
  });

  it("depth weight by limit in X-MBX-USED-WEIGHT-1M", async () => {
    const a = await getJson(`${emu.restUrl}/api/v3/depth?symbol=ETHUSDT&limit=5000`);
    assertEquals(a.body.bids.length, 5000);
    const used1 = Number(a.headers.get("x-mbx-used-weight-1m"));
    const b = await getJson(`${emu.restUrl}/api/v3/depth?symbol=ETHUSDT&limit=1000`);
    assertEquals(Number(b.headers.get("x-mbx-used-weight-1m")) - used1, 50);
    const f = await getJson(`${emu.futuresRestUrl}/fapi/v1/depth?symbol=BTCUSDT&limit=7`);
    assertEquals(f.body, { code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
  });

  it("Binance error bodies: -1121, -1102, -1120, -1100", async () => {
    assertEquals((await getJson(`${emu.restUrl}/api/v3/depth?symbol=NOPE`)).body, {
      code: -1121,
      msg: "Invalid symbol.",
    });
    const m = await getJson(`${emu.restUrl}/api/v3/trades`);
    assertEquals([m.status, m.body.code], [400, -1102]);
    assertEquals((await getJson(`${emu.restUrl}/api/v3/klines?symbol=BTCUSDT&interval=2m`)).body.code, -1120);
    assertEquals((await getJson(`${emu.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=abc`)).body.code, -1100);
    const nf = await getJson(`${emu.restUrl}/api/v3/nothing`);
    assertEquals(nf.status, 404);
  });

  it("trades, aggTrades, klines, avgPrice, tickers", async () => {
    await new Promise((r) => setTimeout(r, 300));
    const trades = (await getJson(`${emu.restUrl}/api/v3/trades?symbol=BTCUSDT&limit=5`)).body;
    assertEquals(Object.keys(trades[0]), [
      "id",
      "price",
      "qty",
      "quoteQty",
      "time",
      "isBuyerMaker",
      "isBestMatch",
    ]);
    const agg = (await getJson(`${emu.restUrl}/api/v3/aggTrades?symbol=BTCUSDT&limit=3`)).body;
    assertEquals(Object.keys(agg[0]), ["a", "p", "q", "f", "l", "T", "m", "M"]);
    const k = (await getJson(`${emu.restUrl}/api/v3/klines?symbol=BTCUSDT&interval=1m`)).body;
    assertEquals(k[0].length, 12);
    const avg = (await getJson(`${emu.restUrl}/api/v3/avgPrice?symbol=BTCUSDT`)).body;
    assertEquals(avg.mins, 5);
    const price = (await getJson(`${emu.restUrl}/api/v3/ticker/price?symbols=["BTCUSDT","ETHUSDT"]`)).body;
    assertEquals(price.map((p: { symbol: string }) => p.symbol), ["BTCUSDT", "ETHUSDT"]);
    const t24 = (await getJson(`${emu.restUrl}/api/v3/ticker/24hr?symbol=BTCUSDT`)).body;
    assertEquals(t24.symbol, "BTCUSDT");
    assert(t24.count > 0);
    const bt = (await getJson(`${emu.futuresRestUrl}/fapi/v1/ticker/bookTicker?symbol=BTCUSDT`)).body;
    assert(Number(bt.bidPrice) < Number(bt.askPrice));
  });

  it("weight limit: 429 with Retry-After, then 418 on continued abuse", async () => {
    await using e = await startEmulator({ paused: true, limits: { requestWeight: 30, banAfter: 2 } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    let ban: { code: number; msg: string } | undefined;
    for (let i = 0; i < 10; i++) {
      const r = await getJson(`${e.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=100`);
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get("retry-after");
      if (r.status === 418) ban = r.body;
    }
    assertEquals(statuses, [200, 200, 200, 200, 200, 200, 429, 429, 418, 418]);
    assert(Number(retryAfter) >= 1 && Number(retryAfter) <= 60);
    assert(ban !== undefined && ban.code === -1003 && /IP banned until \d+/.test(ban.msg));
  });

  it("invalid options are TypeError/RangeError naming the field", async () => {
    await assertRejects(() => startEmulator({ port: -1 }), RangeError, "port");
    await assertRejects(
      () => startEmulator({ markets: [{ symbol: "btc" }] }),
      TypeError,
      "markets[0].symbol",
    );
    await assertRejects(() => startEmulator({ limits: { bogus: 1 } as never }), TypeError, "limits.bogus");
    await assertRejects(() => startEmulator({ accounts: [{ apiKey: "k" }] }), TypeError, "accounts[0]");
    assertThrows(() => emu.inject({ name: "nope" as never }), TypeError, "fault.name");
    assertThrows(() => emu.book("NOPE"), RangeError, "NOPE");
  });

  it("a parameter sent twice is -1101 on every REST family (query or body); query + body is allowed", async () => {
    const dup = { code: -1101, msg: "Duplicate values for a parameter detected." };
    for (
      const path of [
        "/api/v3/depth?symbol=BTCUSDT&symbol=ETHUSDT",
        "/api/v3/klines?symbol=BTCUSDT&interval=1m&interval=1h",
        "/fapi/v1/ticker/price?symbol=BTCUSDT&symbol=BTCUSDT",
        "/dapi/v1/depth?symbol=BTCUSD_PERP&limit=5&limit=10",
        "/sapi/v1/system/status?a=1&a=2",
        "/eapi/v1/time?x=1&x=1",
      ]
    ) {
      const r = await getJson(`${emu.restUrl}${path}`);
      assertEquals([r.status, r.body], [400, dup], path);
    }
    const body = await fetch(`${emu.restUrl}/api/v3/order`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "symbol=BTCUSDT&side=BUY&side=SELL",
    });
    assertEquals(await body.json(), dup);
    const both = await fetch(`${emu.restUrl}/api/v3/order?symbol=BTCUSDT`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "symbol=BTCUSDT&side=BUY",
    });
    // past the duplicate check: the missing API key is what fails
    assertEquals((await both.json()).code, -2014);
  });
});
