/**
 * `MARGIN_CALL` on the futures user data (one implementation for USDⓈ-M and COIN-M): pushed once
 * when the margin ratio (maintenance margin ÷ margin balance) reaches `limits.marginCallPercent`,
 * again only after it fell below; Binance's field set, normalised by UnicornFy.
 */
import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { Decimal } from "decimal.js";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { marginCallEvent, marginRatio } from "../../src/testing/emulator/futures_margin_call.ts";
import { BinanceWebSocketManager } from "../../src/ws/manager.ts";
import { unicornfy } from "../../src/unicornfy/mod.ts";
import { signedCaller } from "./_sign.ts";
import { type AnyJson, connect, getJson } from "./_ws.ts";

const KEY = "mcKey1";
const SECRET = "mcSecret1";

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Moves the mark price by manual steps and waits until they are applied. */
async function mark(emu: Emulator, symbol: string, market: "usdm" | "coinm", price: string): Promise<void> {
  const d = emu.drive(symbol, [{ markPrice: price }], { market, manual: true });
  emu.step(1);
  await d;
}

describe("margin ratio (pure)", () => {
  const pos = (upnl: string, maint: string) => ({
    symbol: "X",
    side: "BOTH",
    amount: "1",
    marginType: "CROSSED" as const,
    mark: new Decimal(1),
    upnl: new Decimal(upnl),
    maint: new Decimal(maint),
  });
  const table: Array<[wallet: string, positions: ReturnType<typeof pos>[], ratio: string]> = [
    ["100", [], "0"],
    ["100", [pos("0", "40")], "0.4"],
    ["100", [pos("-50", "40")], "0.8"],
    ["100", [pos("-30", "20"), pos("-20", "20")], "0.8"],
    ["100", [pos("50", "60")], "0.4"],
    ["100", [pos("-100", "1")], "Infinity"],
  ];
  for (const [wallet, positions, ratio] of table) {
    it(`wallet ${wallet}, ${positions.length} positions → ${ratio}`, () => {
      assertEquals(marginRatio(new Decimal(wallet), positions).toString(), ratio);
    });
  }
});

describe("MARGIN_CALL body (pure)", () => {
  const p = (marginType: "CROSSED" | "ISOLATED") => ({
    symbol: "BTCUSDT",
    side: "LONG",
    amount: "0.500",
    marginType,
    mark: new Decimal("60000.5"),
    upnl: new Decimal("-12.25"),
    maint: new Decimal("750.00625"),
  });
  it("a cross position: cw is the wallet; the position with Binance's letters", () => {
    assertEquals(marginCallEvent(7, new Decimal("800"), [p("CROSSED")]), {
      e: "MARGIN_CALL",
      E: 7,
      cw: "800.00000000",
      p: [{
        s: "BTCUSDT",
        ps: "LONG",
        pa: "0.500",
        mt: "CROSSED",
        iw: "0",
        mp: "60000.50000000",
        up: "-12.25000000",
        mm: "750.00625000",
      }],
    });
  });
  it("isolated positions only: no cw (Binance: only pushed with a crossed position); COIN-M alias i", () => {
    const ev = marginCallEvent(7, new Decimal("800"), [p("ISOLATED")], "emu") as Record<string, unknown>;
    assertEquals([ev.i, "cw" in ev], ["emu", false]);
  });
});

describe("MARGIN_CALL", () => {
  it("COIN-M: once when the ratio reaches the threshold, again after it fell below; Binance's fields", async () => {
    await using emu = await startEmulator({
      seed: 5,
      paused: true,
      accounts: [{ apiKey: KEY, secretKey: SECRET, coinmBalances: { BTC: "0.02", ETH: "1" } }],
    });
    const call = signedCaller(emu.futuresRestUrl, KEY, SECRET);
    await mark(emu, "BTCUSD_PERP", "coinm", "65000.0");
    // 234 contracts of 100 USD ≈ 0.36 BTC at 20×: margin ratio ≈ 45 % at the entry
    const placed = await call("POST", "/dapi/v1/order", {
      symbol: "BTCUSD_PERP",
      side: "BUY",
      type: "MARKET",
      quantity: "234",
    });
    assertEquals(placed.status, 200, JSON.stringify(placed.body));
    const lk = await getJson(`${emu.futuresRestUrl}/dapi/v1/listenKey`, {
      method: "POST",
      headers: { "X-MBX-APIKEY": KEY },
    });
    const user = await connect(`${emu.coinmWsUrl}/ws/${lk.body.listenKey}`);
    const calls = (): AnyJson[] =>
      user.frames.map((f) => JSON.parse(f)).filter((x: AnyJson) => x.e === "MARGIN_CALL");

    await mark(emu, "BTCUSD_PERP", "coinm", "64000.0"); // ≈ 64 %: below 80 %
    await mark(emu, "BTCUSD_PERP", "coinm", "63000.0"); // above 100 %
    await until(() => calls().length === 1, 5000, "the margin call");
    await mark(emu, "BTCUSD_PERP", "coinm", "62900.0"); // still above: no second call
    const ev = calls()[0];
    const acc = emu.account(KEY);
    const pos = acc.coinmPositions["BTCUSD_PERP"];
    assertEquals(ev.i, "emu");
    assertEquals(ev.cw, "0.02000000");
    assertEquals(ev.p.length, 1);
    const p = ev.p[0];
    assertEquals([p.s, p.ps, p.pa, p.mt, p.iw, p.mp], [
      "BTCUSD_PERP",
      "BOTH",
      "234",
      "CROSSED",
      "0",
      "63000.00000000",
    ]);
    // maintenance margin: notional at the mark (contracts × 100 ÷ mark) × 2.5 %
    assertEquals(p.mm, new Decimal(23400).div(63000).times("0.025").toFixed(8));
    const entry = new Decimal(pos.entryPrice);
    assertEquals(
      p.up,
      new Decimal(23400).times(new Decimal(1).div(entry).minus(new Decimal(1).div(63000))).toFixed(8),
    );
    assert(new Decimal(p.mm).div(new Decimal("0.02").plus(p.up)).gte("0.8"), "called above the threshold");

    await mark(emu, "BTCUSD_PERP", "coinm", "65000.0"); // recovers: re-armed
    assertEquals(calls().length, 1);
    await mark(emu, "BTCUSD_PERP", "coinm", "63000.0");
    await until(() => calls().length === 2, 5000, "the second margin call");
    // the second is the one at 63000 again, not one at 62900 while still above the threshold
    assertEquals(calls()[1].p[0].mp, "63000.00000000");
    await user.close();

    // UnicornFy normalises it on the COIN-M exchange string
    const msg = unicornfy(JSON.stringify(ev), { exchange: "binance.com-coin_futures" });
    assertEquals(msg.eventType, "MARGIN_CALL");
    if (msg.eventType !== "MARGIN_CALL") return;
    assertEquals(msg.accountAlias, "emu");
    assertEquals(msg.positions[0].margin, p.mm);
    assertEquals(msg.positions[0].price, "63000.00000000");
  });

  it("USD-M: through the WebSocket manager's user-data stream (events filter), unicornfied; limits.marginCallPercent moves the threshold", async () => {
    await using emu = await startEmulator({
      seed: 6,
      paused: true,
      accounts: [{ apiKey: KEY, secretKey: SECRET, futuresBalances: { USDT: "1000" } }],
      limits: { marginCallPercent: 50 },
    });
    const call = signedCaller(emu.futuresRestUrl, KEY, SECRET);
    await mark(emu, "BTCUSDT", "usdm", "65000.0");
    const placed = await call("POST", "/fapi/v1/order", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: "0.250",
    });
    assertEquals(placed.status, 200, JSON.stringify(placed.body));
    await using ws = new BinanceWebSocketManager({
      exchange: "binance.com-futures",
      restUrl: emu.futuresRestUrl,
      streamBase: emu.futuresWsUrl,
      backoffBaseMs: 20,
    });
    const got: AnyJson[] = [];
    const signals: string[] = [];
    ws.createUserDataStream({
      apiKey: KEY,
      apiSecret: SECRET,
      output: "unicornfy",
      onData: (m) => void got.push(m.data),
    });
    void (async () => {
      for await (const s of ws.signals()) signals.push(s.type);
    })();
    await until(() => signals.includes("CONNECT"), 10_000, "the user-data connection");
    // ≈ 40 % at the entry, ≈ 53 % at 64000: past the configured 50 %
    await mark(emu, "BTCUSDT", "usdm", "64000.0");
    await until(() => got.some((m) => m.eventType === "MARGIN_CALL"), 5000, "the margin call");
    const m = got.find((x) => x.eventType === "MARGIN_CALL")!;
    assertEquals(m.crossWallet, "1000.00000000");
    assertEquals(m.positions.length, 1);
    assertEquals([m.positions[0].symbol, m.positions[0].side, m.positions[0].type], [
      "BTCUSDT",
      "BOTH",
      "CROSSED",
    ]);
    assertEquals(m.positions[0].margin, new Decimal("0.250").times(64000).times("0.025").toFixed(8));
    assertEquals(m.accountAlias, undefined); // USD-M's MARGIN_CALL has no account alias
  });

  it("limits.marginCallPercent is validated like the other limits", async () => {
    let err: unknown;
    try {
      await startEmulator({ limits: { marginCallPercent: 0 } });
    } catch (e) {
      err = e;
    }
    assert(err instanceof RangeError, String(err));
    assert(String(err).includes("limits.marginCallPercent"), String(err));
  });
});
