import { describe, it } from "node:test";
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { startEmulator } from "../../src/testing/mod.ts";
import { connect, getJson } from "./_ws.ts";

const BTC_PATH = ["65000.00", "65010.00", "65020.00", "65005.00", "64990.00"];

describe("emu.drive: deterministic price control", () => {
  it("moves the spot last price along the path, one step per element, and prints a trade at each", async () => {
    await using emu = await startEmulator({ seed: 3, paused: true });
    const ws = await connect(`${emu.wsUrl}/stream?streams=btcusdt@trade/btcusdt@bookTicker`);
    try {
      // the subscription is registered once the server has the connection; an empty LIST confirms it
      ws.send({ method: "LIST_SUBSCRIPTIONS", id: 1 });
      await ws.waitFor((f) => f.includes('"id":1'));
      const before = emu.stepIndex;
      const seen: string[] = [];
      const drive = emu.drive("BTCUSDT", BTC_PATH, { manual: true });
      for (let i = 0; i < BTC_PATH.length; i++) {
        emu.step();
        const t = await getJson(`${emu.restUrl}/api/v3/ticker/price?symbol=BTCUSDT`);
        seen.push(t.body.price);
      }
      const r = await drive;
      assertEquals(seen, BTC_PATH.map((p) => Number(p).toFixed(8)));
      assertEquals(r, { firstStep: before + 1, lastStep: before + BTC_PATH.length });
      assertEquals(emu.stepIndex, before + BTC_PATH.length);
      // every path price printed as a trade, in order
      await ws.waitFor((f) => f.includes('"p":"64990.00000000"') && f.includes('"stream":"btcusdt@trade"'));
      const prices = ws.frames.filter((f) => f.includes('"stream":"btcusdt@trade"')).map((f) =>
        JSON.parse(f).data.p
      );
      assertEquals(prices, BTC_PATH.map((p) => Number(p).toFixed(8)));
      // the book sits around the price: bid <= last <= ask
      const book = emu.book("BTCUSDT", { limit: 1 });
      assert(Number(book.bids[0][0]) <= 64990 && Number(book.asks[0][0]) >= 64990, JSON.stringify(book));
      assert(ws.frames.some((f) => f.includes("@bookTicker")));
    } finally {
      await ws.close();
    }
  });

  it("a paused emulator steps by itself; stepsPerPrice holds each price; the walk resumes afterwards", async () => {
    await using emu = await startEmulator({ seed: 4, paused: true, intervalMs: 5 });
    const r = await emu.drive("ETHUSDT", ["3500.00", "3600.00"], { stepsPerPrice: 3 });
    assertEquals(r.lastStep - r.firstStep, 5);
    const t = await getJson(`${emu.restUrl}/api/v3/ticker/price?symbol=ETHUSDT`);
    assertEquals(t.body.price, "3600.00000000");
    // the walk continues around the driven price, not the configured one
    emu.step(200);
    const after = Number((await getJson(`${emu.restUrl}/api/v3/ticker/price?symbol=ETHUSDT`)).body.price);
    assert(Math.abs(after - 3600) < 36, String(after));
  });

  it("drives USD-M last and mark price separately; premiumIndex shows the mark", async () => {
    await using emu = await startEmulator({ seed: 5, paused: true });
    const drive = emu.drive(
      "BTCUSDT",
      [{ price: "65100.0", markPrice: "65050.0" }, { markPrice: "65000.0" }],
      {
        market: "usdm",
        manual: true,
      },
    );
    emu.step();
    let pi = await getJson(`${emu.futuresRestUrl}/fapi/v1/premiumIndex?symbol=BTCUSDT`);
    let last = await getJson(`${emu.futuresRestUrl}/fapi/v1/ticker/price?symbol=BTCUSDT`);
    assertEquals([pi.body.markPrice, last.body.price], ["65050.00000000", "65100.0"]);
    emu.step();
    pi = await getJson(`${emu.futuresRestUrl}/fapi/v1/premiumIndex?symbol=BTCUSDT`);
    last = await getJson(`${emu.futuresRestUrl}/fapi/v1/ticker/price?symbol=BTCUSDT`);
    assertEquals([pi.body.markPrice, last.body.price], ["65000.00000000", "65100.0"]);
    await drive;
    // one step after the drive the mark is the middle of the book again
    emu.step();
    pi = await getJson(`${emu.futuresRestUrl}/fapi/v1/premiumIndex?symbol=BTCUSDT`);
    assert(Math.abs(Number(pi.body.markPrice) - 65100) < 1, pi.body.markPrice);
  });

  it("USD-M markPrice@1s and !markPrice@arr@1s streams follow a driven mark; COIN-M's carries the pair", async () => {
    await using emu = await startEmulator({ seed: 8, paused: true });
    const ws = await connect(
      `${emu.futuresWsUrl}/market/stream?streams=btcusdt@markPrice@1s/!markPrice@arr@1s`,
    );
    const cm = await connect(`${emu.coinmWsUrl}/ws/btcusd_perp@markPrice@1s`);
    try {
      for (const c of [ws, cm]) {
        c.send({ method: "LIST_SUBSCRIPTIONS", id: 1 });
        await c.waitFor((f) => f.includes('"id":1'));
      }
      // one nominal second is ten steps
      const d = emu.drive("BTCUSDT", Array(10).fill({ markPrice: "64321.0" }), {
        market: "usdm",
        manual: true,
      });
      const c2 = emu.drive("BTCUSD_PERP", Array(10).fill({ markPrice: "64000.0" }), {
        market: "coinm",
        manual: true,
      });
      emu.step(10);
      await Promise.all([d, c2]);
      const i = await ws.waitFor((f) => f.includes('"stream":"btcusdt@markPrice@1s"'));
      const ev = JSON.parse(ws.frames[i]).data;
      assertEquals([ev.e, ev.s, ev.p], ["markPriceUpdate", "BTCUSDT", "64321.00000000"]);
      assert(typeof ev.r === "string" && ev.T > ev.E && typeof ev.i === "string");
      const j = await ws.waitFor((f) => f.includes('"stream":"!markPrice@arr@1s"'));
      const arr = JSON.parse(ws.frames[j]).data;
      assert(
        Array.isArray(arr) &&
          arr.some((x: { s: string; p: string }) => x.s === "BTCUSDT" && x.p === "64321.00000000"),
      );
      const k = await cm.waitFor((f) => f.includes("markPriceUpdate"));
      const c = JSON.parse(cm.frames[k]);
      assertEquals([c.s, c.ps, c.p], ["BTCUSD_PERP", "BTCUSD", "64000.00000000"]);
    } finally {
      await ws.close();
      await cm.close();
    }
  });

  it("drives COIN-M", async () => {
    await using emu = await startEmulator({ seed: 6, paused: true, intervalMs: 2 });
    await emu.drive("BTCUSD_PERP", ["64000.0", "63900.0"], { market: "coinm" });
    const t = await getJson(`${emu.futuresRestUrl}/dapi/v1/ticker/price?symbol=BTCUSD_PERP`);
    assertEquals(t.body[0].price, "63900.0");
  });

  it("refuses bad paths, options and a second drive of the same market", async () => {
    await using emu = await startEmulator({ seed: 7, paused: true });
    assertThrows(() => emu.drive("BTCUSDT", []), TypeError, "Invalid path");
    assertThrows(() => emu.drive("BTCUSDT", ["65000.001"]), TypeError, "path[0]");
    assertThrows(() => emu.drive("BTCUSDT", ["65000.015"]), TypeError, "path[0]");
    assertThrows(() => emu.drive("BTCUSDT", ["1e5"]), TypeError, "path[0]");
    assertThrows(() => emu.drive("BTCUSDT", [{ price: "65000", markPrice: "1" }]), TypeError, "spot markets");
    assertThrows(() => emu.drive("BTCUSDT", [{ prize: "1" } as never]), TypeError, "path[0].prize");
    assertThrows(() => emu.drive("BTCUSDT", ["65000"], { speed: 1 } as never), TypeError, "options.speed");
    assertThrows(() => emu.drive("XRPUSDT", ["1"]), RangeError, "XRPUSDT");
    assertThrows(() => emu.drive("BTCUSDT", ["65000"], { stepsPerPrice: 0 }), RangeError, "stepsPerPrice");
    const d = emu.drive("BTCUSDT", ["65000"], { manual: true });
    assertThrows(() => emu.drive("BTCUSDT", ["65000"]), RangeError, "already driven");
    await emu.close();
    await assertRejects(() => d, Error, "emulator closed");
  });
});
