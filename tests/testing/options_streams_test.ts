/**
 * The emulator's European-options market streams on the USD-M host (`/fstream/public`,
 * `/fstream/market`): diff depth with the futures sequence rules rebuilds the true book from the
 * `/eapi/v1/depth` snapshot, partial depth, optionTrade, optionTicker, bookTicker, kline,
 * optionMarkPrice and `!index@arr` agree with the options REST data, routing and bad names.
 */
import { afterEach, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { type AnyJson, type Client, connect, getJson } from "./_ws.ts";

let emu: Emulator | undefined;
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await emu?.close();
  emu = undefined;
});

async function open(url: string): Promise<Client> {
  const c = await connect(url);
  clients.push(c);
  return c;
}

/** The first listed option (a call) and its underlying. */
async function firstOption(e: Emulator): Promise<{ symbol: string; underlying: string }> {
  const info = (await getJson(`${e.restUrl}/eapi/v1/exchangeInfo`)).body;
  const o = info.optionSymbols[0];
  return { symbol: o.symbol, underlying: o.underlying };
}

/** Lets the frames of the steps just taken arrive (the server sends them synchronously). */
async function settle(c: Client, count: number, timeoutMs = 3000): Promise<void> {
  if (count > 0) await c.waitFor(() => true, timeoutMs, count - 1);
}

describe("options market streams", () => {
  it("diff depth: futures sequence rules rebuild the true book from the /eapi snapshot", async () => {
    const e = emu = await startEmulator({ seed: 31, paused: true });
    const { symbol } = await firstOption(e);
    const s = symbol.toLowerCase();
    const c = await open(`${e.futuresWsUrl}/public/stream?streams=${s}@depth@100ms/${s}@depth@500ms`);
    e.step(30); // three option steps before the snapshot: buffered, partly older than it
    await settle(c, 6);
    const snap = (await getJson(`${e.restUrl}/eapi/v1/depth?symbol=${symbol}&limit=1000`)).body;
    assertEquals(Object.keys(snap), ["bids", "asks", "T", "u"]);
    e.step(50);
    await settle(c, 16);
    const frames = c.frames.map((f) => JSON.parse(f) as AnyJson);
    for (const speed of ["100ms", "500ms"]) {
      const evs = frames.filter((f) => f.stream === `${s}@depth@${speed}`).map((f) => f.data);
      assertEquals(evs.length, 8, speed);
      for (const ev of evs) {
        assertEquals(Object.keys(ev), ["e", "E", "T", "s", "U", "u", "pu", "b", "a"]);
        assertEquals([ev.e, ev.s], ["depthUpdate", symbol]);
        assert(ev.U <= ev.u);
      }
      // pu chains each event to the previous one of the same stream
      for (let i = 1; i < evs.length; i++) assertEquals(evs[i].pu, evs[i - 1].u, `${speed} pu of event ${i}`);
      // futures rules: drop u < L, the first applied event has U <= L <= u, then apply
      const L = snap.u as number;
      const live = evs.filter((ev) => ev.u >= L);
      assert(live[0].U <= L && L <= live[0].u, `no sync point for ${L} in ${speed}`);
      const bids = new Map<string, string>(snap.bids.map(([p, q]: string[]) => [p, q]));
      const asks = new Map<string, string>(snap.asks.map(([p, q]: string[]) => [p, q]));
      for (const ev of live) {
        for (const [side, list] of [[bids, ev.b], [asks, ev.a]] as const) {
          for (const [p, q] of list as string[][]) {
            if (Number(q) === 0) side.delete(p);
            else side.set(p, q);
          }
        }
      }
      const t = e.book(symbol, { market: "options", limit: 1000 });
      assertEquals(live[live.length - 1].u, t.lastUpdateId);
      const sorted = (m: Map<string, string>, desc: boolean) =>
        [...m].sort((x, y) => desc ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0]));
      assertEquals(sorted(bids, true).slice(0, 100), t.bids.slice(0, 100), `${speed} bids`);
      assertEquals(sorted(asks, false).slice(0, 100), t.asks.slice(0, 100), `${speed} asks`);
    }
  });

  it("public and market channels agree with /eapi/v1 (ticker, mark, index, trades, klines)", async () => {
    // a pinned clock: the Greeks depend on the time to expiry, REST and stream see the same one
    const t0 = Date.now();
    const e = emu = await startEmulator({ seed: 32, paused: true, now: () => t0 });
    const { symbol, underlying } = await firstOption(e);
    const s = symbol.toLowerCase();
    const u = underlying.toLowerCase();
    const pub = await open(
      `${e.futuresWsUrl}/public/stream?streams=${s}@optionTrade/${s}@optionTicker/${s}@bookTicker/${s}@depth10@500ms`,
    );
    const mkt = await open(
      `${e.futuresWsUrl}/market/stream?streams=${s}@kline_1m/${u}@optionMarkPrice/!index@arr`,
    );
    e.step(10); // one option step: ticker, kline, mark and index are due
    await pub.waitFor((f) => f.includes("@optionTicker"));
    await mkt.waitFor((f) => f.includes("!index@arr"));
    await mkt.waitFor((f) => f.includes("@optionMarkPrice"));
    await mkt.waitFor((f) => f.includes("@kline_1m"));
    const last = (c: Client, stream: string): AnyJson =>
      c.frames.map((f) => JSON.parse(f)).filter((f) => f.stream === stream).at(-1).data;
    const ticker = last(pub, `${s}@optionTicker`);
    assertEquals(Object.keys(ticker), [
      "e",
      "E",
      "s",
      "p",
      "P",
      "w",
      "c",
      "Q",
      "o",
      "h",
      "l",
      "v",
      "q",
      "O",
      "C",
      "F",
      "L",
      "n",
    ]);
    const rt = (await getJson(`${e.restUrl}/eapi/v1/ticker?symbol=${symbol}`)).body[0];
    assertEquals([ticker.e, ticker.c, ticker.h, ticker.l, ticker.n], [
      "24hrTicker",
      rt.lastPrice,
      rt.high,
      rt.low,
      rt.tradeCount,
    ]);
    const marks = last(mkt, `${u}@optionMarkPrice`);
    const rm = (await getJson(`${e.restUrl}/eapi/v1/mark`)).body
      .filter((m: AnyJson) => m.symbol.startsWith(symbol.split("-")[0]));
    assertEquals(marks.length, rm.length);
    const mine = marks.find((m: AnyJson) => m.s === symbol);
    const restMine = rm.find((m: AnyJson) => m.symbol === symbol);
    assertEquals(
      [mine.e, mine.mp, mine.vo, mine.b, mine.a, mine.d, mine.g, mine.v],
      [
        "markPrice",
        restMine.markPrice,
        restMine.markIV,
        restMine.bidIV,
        restMine.askIV,
        restMine.delta,
        restMine.gamma,
        restMine.vega,
      ],
    );
    const index = last(mkt, "!index@arr");
    const ri = (await getJson(`${e.restUrl}/eapi/v1/index?underlying=${underlying}`)).body;
    const mineIndex = index.find((x: AnyJson) => x.s === underlying);
    assertEquals([mineIndex.e, mineIndex.p, mine.i], ["index", ri.indexPrice, ri.indexPrice]);
    const kline = last(mkt, `${s}@kline_1m`);
    const rk = (await getJson(`${e.restUrl}/eapi/v1/klines?symbol=${symbol}&interval=1m&limit=1`)).body[0];
    assertEquals([kline.e, kline.k.t, kline.k.c, kline.k.n], ["kline", rk.openTime, rk.close, rk.tradeCount]);
    const book = last(pub, `${s}@bookTicker`);
    const top = e.book(symbol, { market: "options", limit: 1 });
    assertEquals([book.b, book.a], [top.bids[0][0], top.asks[0][0]]);
    const partial = last(pub, `${s}@depth10@500ms`);
    assertEquals([partial.e, partial.b.length, partial.u], ["depthUpdate", 10, top.lastUpdateId]);
    // trades: the option steps until one trades, each trade id is one /eapi/v1/trades knows
    for (let i = 0; i < 40 && !pub.frames.some((f) => f.includes("@optionTrade")); i++) {
      e.step(10);
      await pub.waitFor((f) => f.includes("@optionTicker"), 3000, pub.frames.length);
    }
    const trade = last(pub, `${s}@optionTrade`);
    assertEquals(Object.keys(trade), ["e", "E", "T", "s", "t", "p", "q", "X", "S", "m"]);
    const rest = (await getJson(`${e.restUrl}/eapi/v1/trades?symbol=${symbol}&limit=500`)).body;
    const same = rest.find((t: AnyJson) => t.id === trade.t);
    assertEquals([same.price, same.qty, same.side], [trade.p, trade.q, trade.S === "BUY" ? 1 : -1]);
  });

  it("routing: /market is silent for book data, /public for kline; bad names are refused", async () => {
    const e = emu = await startEmulator({ seed: 33, paused: true });
    const { symbol } = await firstOption(e);
    const s = symbol.toLowerCase();
    const wrong = await open(`${e.futuresWsUrl}/market/ws/${s}@depth@100ms`);
    wrong.send({ method: "SUBSCRIBE", params: [`${s}@optionTrade`], id: 1 });
    await wrong.waitFor((f) => f === '{"result":null,"id":1}');
    const right = await open(`${e.futuresWsUrl}/market/ws/${s}@kline_5m`);
    e.step(20);
    await right.waitFor((f) => f.includes('"kline"'));
    assertEquals(wrong.frames, ['{"result":null,"id":1}']);
    // no bare @depth on options, and only the 100 / 500 ms speeds
    for (const bad of [`${s}@depth`, `${s}@depth@250ms`, `${s}@kline_1s`, `${s}@optionFoo`]) {
      const c = await open(`${e.futuresWsUrl}/public/ws/${bad}`);
      assertEquals(await c.closed, 1008, bad);
      assertEquals(JSON.parse(c.frames[0]).error.code, 2);
    }
  });
});
