import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { BinanceRestClient } from "../../src/rest/mod.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { intervalMs, intervalStart } from "../../src/testing/emulator/candles.ts";
import { connect, getJson } from "./_ws.ts";

type Row = [number, string, string, string, string, string, number, string, number, string, string, string];

// a fixed clock: the past is a function of seed, symbol and time, so runs compare exactly
const NOW = Date.UTC(2026, 5, 17, 13, 37, 21, 456);
const LISTING = Date.UTC(2020, 0, 1);
const SPOT_IVS = [
  "1s",
  "1m",
  "3m",
  "5m",
  "15m",
  "30m",
  "1h",
  "2h",
  "4h",
  "6h",
  "8h",
  "12h",
  "1d",
  "3d",
  "1w",
  "1M",
];
const VENUES = [
  { base: "/api/v3", symbol: "BTCUSDT", ivs: SPOT_IVS, max: 1000, price: "65000.00000000" },
  { base: "/fapi/v1", symbol: "ETHUSDT", ivs: SPOT_IVS.slice(1), max: 1500, price: "3500.00" },
  { base: "/dapi/v1", symbol: "BTCUSD_PERP", ivs: SPOT_IVS.slice(1), max: 1500, price: "65000.0" },
] as const;

/** A decimal string as an integer of its smallest printed unit (all rows print the same decimals). */
const units = (s: string): bigint => BigInt(s.replace(".", ""));
const sum = (rows: Row[], i: number): bigint => rows.reduce((a, r) => a + units(r[i] as string), 0n);

function checkAggregate(coarse: Row, fine: Row[], label: string): void {
  assert(fine.length > 1, `${label}: finer candles`);
  assertEquals(fine[0][0], coarse[0], `${label}: open time`);
  assertEquals(fine[fine.length - 1][6], coarse[6], `${label}: close time`);
  assertEquals(fine[0][1], coarse[1], `${label}: open`);
  assertEquals(fine[fine.length - 1][4], coarse[4], `${label}: close`);
  const hi = fine.reduce((a, r) => (units(r[2]) > a ? units(r[2]) : a), 0n);
  const lo = fine.reduce((a, r) => (units(r[3]) < a ? units(r[3]) : a), units(fine[0][3]));
  assertEquals(hi, units(coarse[2]), `${label}: high`);
  assertEquals(lo, units(coarse[3]), `${label}: low`);
  for (const i of [5, 7, 9, 10]) {
    assertEquals(sum(fine, i), units(coarse[i] as string), `${label}: field ${i}`);
  }
  assertEquals(fine.reduce((a, r) => a + r[8], 0), coarse[8], `${label}: trades`);
}

describe("the generated past of a fresh emulator", () => {
  let emu: Emulator;
  let rest: BinanceRestClient;
  const get = async (path: string) => (await getJson(`${emu.restUrl}${path}`)).body;
  before(async () => {
    emu = await startEmulator({ seed: 3, paused: true, now: () => NOW });
    rest = new BinanceRestClient({ baseUrl: emu.restUrl });
  });
  after(async () => {
    await emu.close();
  });

  it("klines of every interval with limit 3, 500, 1000 (1500 on futures): shape, order, open candle last", async () => {
    for (const v of VENUES) {
      for (const iv of v.ivs) {
        for (const limit of [3, 500, 1000, ...(v.max > 1000 ? [1500] : [])]) {
          const rows: Row[] = await get(`${v.base}/klines?symbol=${v.symbol}&interval=${iv}&limit=${limit}`);
          const label = `${v.base} ${iv} limit ${limit}`;
          // fewer rows only when the listing (2020-01-01) is reached
          assert(rows.length === limit || rows[0][0] === intervalStart(iv, LISTING), label);
          assertEquals(rows[rows.length - 1][0], intervalStart(iv, NOW), `${label}: open candle last`);
          assertEquals(rows[rows.length - 1][4], v.price, `${label}: ends at the start price`);
          for (let i = 0; i < rows.length; i++) {
            const r = rows[i];
            assertEquals(r.length, 12);
            assertEquals(r[6], r[0] + intervalMs(iv, r[0]) - 1, `${label}: close time`);
            if (i > 0) assertEquals(r[0], rows[i - 1][6] + 1, `${label}: ascending, contiguous`);
            assert(
              units(r[2]) >= units(r[1]) && units(r[2]) >= units(r[4]) && units(r[3]) <= units(r[1]),
              label,
            );
            assert(units(r[3]) <= units(r[4]) && units(r[3]) > 0n, label);
            // the open 1s candle began with the emulator: no past part, and paused it trades nothing
            if (iv === "1s" && i === rows.length - 1) continue;
            assert(r[8] > 0 && units(r[5]) > 0n && units(r[7]) > 0n, `${label}: volume and trades`);
            assert(units(r[9]) < units(r[5]) && units(r[10]) < units(r[7]), `${label}: taker volumes`);
          }
        }
      }
    }
  });

  it("a coarser candle is exactly the aggregate of its finer ones, on every venue", async () => {
    const pairs = [
      ["1s", "1m"],
      ["1m", "3m"],
      ["1m", "5m"],
      ["5m", "15m"],
      ["15m", "30m"],
      ["30m", "1h"],
      ["1h", "2h"],
      ["1h", "4h"],
      ["2h", "6h"],
      ["4h", "8h"],
      ["4h", "12h"],
      ["1h", "1d"],
      ["1d", "3d"],
      ["1d", "1w"],
      ["1d", "1M"],
    ];
    for (const v of VENUES) {
      for (const [fine, coarse] of pairs) {
        if (!(v.ivs as readonly string[]).includes(fine)) continue;
        // a closed candle some way back, and one right before the open one
        const list: Row[] = await get(`${v.base}/klines?symbol=${v.symbol}&interval=${coarse}&limit=40`);
        for (const c of [list[0], list[list.length - 2]]) {
          const parts: Row[] = await get(
            `${v.base}/klines?symbol=${v.symbol}&interval=${fine}&startTime=${c[0]}&endTime=${
              c[6]
            }&limit=1000`,
          );
          checkAggregate(c, parts, `${v.base} ${coarse} from ${fine} at ${new Date(c[0]).toISOString()}`);
        }
      }
    }
  });

  it("startTime / endTime windows in the past behave as on Binance (REST client)", async () => {
    const start = NOW - 30 * 86_400_000 + 12_345;
    const end = start + 10 * 3_600_000;
    const a = await rest.getKlines({
      symbol: "BTCUSDT",
      interval: "1h",
      startTime: start,
      endTime: end,
      limit: 1000,
    });
    assertEquals(
      a[0][0],
      intervalStart("1h", start) + 3_600_000,
      "only candles that open at or after startTime",
    );
    assertEquals(a.length, 10);
    assert(a.every((k) => k[0] <= end));
    const b = await rest.getKlines({ symbol: "BTCUSDT", interval: "1h", startTime: start, limit: 3 });
    assertEquals(b.map((k) => k[0]), a.slice(0, 3).map((k) => k[0]));
    const c = await rest.getKlines({ symbol: "BTCUSDT", interval: "1h", endTime: end, limit: 4 });
    assertEquals(
      c.map((k) => k[0]),
      a.slice(-4).map((k) => k[0]),
      "endTime alone: the last candles before it",
    );
    const d = await rest.getKlines({ symbol: "BTCUSDT", interval: "15m" });
    assertEquals(d.length, 500, "default limit 500");
    const e: Row[] = await get(`/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=5000`);
    assertEquals(e.length, 1000, "spot truncates to 1000");
    const f: Row[] = await get(`/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=5000`);
    assertEquals(f.length, 1500, "futures truncate to 1500");
    const old: Row[] = await get(`/api/v3/klines?symbol=BTCUSDT&interval=1d&startTime=0&limit=2`);
    assertEquals(old[0][0], LISTING, "nothing before the listing");
    const ui = await rest.getUiKlines({ symbol: "BTCUSDT", interval: "1h", startTime: start, endTime: end });
    assertEquals(ui, a);
  });

  it("errors carry Binance's codes", async () => {
    const cases: Array<[string, number]> = [
      ["/api/v3/klines?symbol=BTCUSDT", -1102],
      ["/api/v3/klines?symbol=BTCUSDT&interval=2m", -1120],
      ["/fapi/v1/klines?symbol=BTCUSDT&interval=1s", -1120],
      ["/api/v3/klines?symbol=NOPE&interval=1m", -1121],
      ["/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=0", -1100],
      ["/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=1e12", -1100],
      ["/api/v3/trades?symbol=BTCUSDT&limit=-1", -1100],
      [`/api/v3/aggTrades?symbol=BTCUSDT&startTime=${NOW - 7_200_000}&endTime=${NOW}`, -1127],
      ["/dapi/v1/aggTrades?symbol=BTCUSD_PERP&fromId=x", -1100],
    ];
    for (const [path, code] of cases) {
      const r = await getJson(`${emu.restUrl}${path}`);
      assertEquals(r.status, 400, path);
      assertEquals(r.body.code, code, path);
    }
  });

  it("the same seed gives the same past, another seed another one", async () => {
    await using same = await startEmulator({ seed: 3, paused: true, now: () => NOW });
    await using other = await startEmulator({ seed: 4, paused: true, now: () => NOW });
    const q = "/fapi/v1/klines?symbol=BTCUSDT&interval=4h&limit=50";
    const mine = await get(q);
    assertEquals((await getJson(`${same.restUrl}${q}`)).body, mine);
    assertNotEquals((await getJson(`${other.restUrl}${q}`)).body, mine);
    const t = "/api/v3/aggTrades?symbol=ETHUSDT&limit=20";
    assertEquals((await getJson(`${same.restUrl}${t}`)).body, await get(t));
  });

  it("trades, historical trades and aggTrades: contiguous ids that continue into the live streams", async () => {
    const trades = await rest.getRecentTrades({ symbol: "BTCUSDT", limit: 1000 });
    assertEquals(trades.length, 1000);
    for (let i = 1; i < trades.length; i++) {
      assertEquals(Number(trades[i].id), Number(trades[i - 1].id) + 1);
      assert(trades[i].time >= trades[i - 1].time && trades[i].time < NOW);
    }
    const lastId = Number(trades[trades.length - 1].id);
    assertEquals(trades[trades.length - 1].price, "65000.00000000", "the last trade is at the start price");
    const hist = await rest.getHistoricalTrades({ symbol: "BTCUSDT", fromId: lastId - 2_000_000, limit: 5 });
    assertEquals(hist.map((t) => Number(t.id)), [0, 1, 2, 3, 4].map((i) => lastId - 2_000_000 + i));
    const aggs = await rest.getAggregateTrades({ symbol: "BTCUSDT", limit: 500 });
    assertEquals(aggs.length, 500);
    for (let i = 1; i < aggs.length; i++) {
      assertEquals(Number(aggs[i].a), Number(aggs[i - 1].a) + 1);
      assertEquals(Number(aggs[i].f), Number(aggs[i - 1].l) + 1, "aggregates cover consecutive trades");
    }
    assertEquals(Number(aggs[aggs.length - 1].l), lastId);
    const lastAgg = Number(aggs[aggs.length - 1].a);
    const from = await rest.getAggregateTrades({ symbol: "BTCUSDT", fromId: lastAgg - 700_000, limit: 3 });
    assertEquals(Number(from[0].a), lastAgg - 700_000);
    const ws = NOW - 3 * 86_400_000;
    const win = await rest.getAggregateTrades({
      symbol: "BTCUSDT",
      startTime: ws,
      endTime: ws + 60_000,
      limit: 1000,
    });
    assert(win.length > 10 && win.every((a) => a.T >= ws && a.T <= ws + 60_000));
    // the live streams continue the ids
    const c = await connect(`${emu.wsUrl}/stream?streams=btcusdt@trade/btcusdt@aggTrade`);
    try {
      await c.waitFor(() => true, 300).catch(() => {});
      let trade = -1;
      let agg = -1;
      for (let i = 0; i < 200 && (trade < 0 || agg < 0); i++) {
        emu.step();
        await new Promise((r) => setTimeout(r, 5));
        for (const f of c.frames) {
          const d = JSON.parse(f).data;
          if (d.e === "trade" && trade < 0) trade = d.t;
          if (d.e === "aggTrade" && agg < 0) agg = d.a;
        }
      }
      assertEquals(trade, lastId + 1, "first live trade id = last historical id + 1");
      assertEquals(agg, lastAgg + 1, "first live aggTrade id = last historical id + 1");
      const after = await rest.getRecentTrades({ symbol: "BTCUSDT", limit: 1000 });
      for (let i = 1; i < after.length; i++) assertEquals(Number(after[i].id), Number(after[i - 1].id) + 1);
    } finally {
      await c.close();
    }
  });

  it("the past stays reachable by id after the live buffer has dropped its oldest trades", async () => {
    await using e = await startEmulator({ seed: 9, paused: true, now: () => NOW });
    const past = (await getJson(`${e.restUrl}/api/v3/trades?symbol=ETHUSDT&limit=1`)).body;
    const last = Number(past[0].id);
    e.step(2500); // well over the 1000 live trades kept
    const live = (await getJson(`${e.restUrl}/api/v3/trades?symbol=ETHUSDT&limit=1000`)).body;
    assert(Number(live[0].id) > last + 1, "the buffer no longer starts at the first live trade");
    const old =
      (await getJson(`${e.restUrl}/api/v3/historicalTrades?symbol=ETHUSDT&fromId=${last - 9}&limit=10`))
        .body;
    assertEquals(
      old.map((t: { id: number }) => Number(t.id)),
      [...Array(10).keys()].map((i) => last - 9 + i),
    );
  });

  it("24 h ticker over the past and live trades; the kline stream and REST agree on the open candle", async () => {
    for (const v of VENUES) {
      const body = await get(`${v.base}/ticker/24hr?symbol=${v.symbol}`);
      const t = Array.isArray(body) ? body[0] : body;
      assertEquals(t.closeTime - t.openTime, 86_400_000);
      assertEquals(t.count, Number(t.lastId) - Number(t.firstId) + 1);
      assert(t.count > 100_000 && Number(t.volume) > 0, v.base);
      assert(Number(t.highPrice) >= Number(t.lastPrice) && Number(t.lowPrice) <= Number(t.lastPrice), v.base);
      assert(
        Number(t.weightedAvgPrice) <= Number(t.highPrice) && Number(t.weightedAvgPrice) >= Number(t.lowPrice),
      );
      const k: Row[] = await get(`${v.base}/klines?symbol=${v.symbol}&interval=1d&limit=2`);
      assert(
        Number(t.highPrice) <= Math.max(Number(k[0][2]), Number(k[1][2])),
        `${v.base}: high inside the days`,
      );
    }
    const c = await connect(`${emu.wsUrl}/ws/ethusdt@kline_1m`);
    try {
      const before: Row[] = await get(`/api/v3/klines?symbol=ETHUSDT&interval=1m&limit=1`);
      // one kline event every 20 steps (2 s nominal); steps after it may add trades
      for (let i = 0; i < 20; i++) emu.step();
      const i = await c.waitFor((f) => f.includes('"kline"'), 5000);
      const ev = JSON.parse(c.frames[i]).k;
      const [after]: Row[] = await get(`/api/v3/klines?symbol=ETHUSDT&interval=1m&limit=1`);
      const [b] = before;
      assertEquals([ev.t, ev.o, ev.T], [b[0], b[1], b[6]]);
      assertEquals([after[0], after[1]], [b[0], b[1]]);
      assert(b[8] > 0, "the open candle holds the past part of its minute");
      assert(b[8] <= ev.n && ev.n <= after[8], "the stream's candle is the REST candle plus live trades");
      assert(units(b[5]) <= units(ev.v) && units(ev.v) <= units(after[5]));
    } finally {
      await c.close();
    }
  });
});
