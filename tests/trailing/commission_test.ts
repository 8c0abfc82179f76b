/**
 * The stop's commission (`src/trailing/_commission.ts`): rate selection as tables (Binance's
 * documented `account/commission` example, whose per-order sums Binance also documents for
 * `computeCommissionRates`; VIP-style flat rates; futures maker/taker), the bad answers, the rate
 * fed into `stopQuantity`, and the lookup on every venue against the emulator.
 */
import { after, before, describe, it } from "node:test";
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { BinanceApiError } from "../../src/core/errors.ts";
import type { Emulator } from "../../src/testing/mod.ts";
import {
  coverQuantity,
  futuresStopCommission,
  spotStopCommission,
  type StopCommission,
  stopCommission,
} from "../../src/trailing/_commission.ts";
import { stopQuantity } from "../../src/trailing/engine.ts";
import { emulator, KEY, SECRET } from "./_emu.ts";

// https://developers.binance.com/docs/binance-spot-api-docs/faqs/commission_faq (fictional rates)
const FAQ = {
  symbol: "BTCUSDT",
  standardCommission: { maker: "0.00000040", taker: "0.00000050", buyer: "0.00000010", seller: "0.00000010" },
  specialCommission: { maker: "0.04000000", taker: "0.05000000", buyer: "0.01000000", seller: "0.01000000" },
  taxCommission: { maker: "0.00000128", taker: "0.00000130", buyer: "0.00000100", seller: "0.00000100" },
  discount: { enabledForAccount: true, enabledForSymbol: true, discountAsset: "BNB", discount: "0.25000000" },
};
const flat = (maker: string, taker: string, extra: Record<string, unknown> = {}) => ({
  symbol: "BTCUSDT",
  standardCommission: { maker, taker, buyer: "0.00000000", seller: "0.00000000" },
  specialCommission: { maker: "0", taker: "0", buyer: "0", seller: "0" },
  taxCommission: { maker: "0", taker: "0", buyer: "0", seller: "0" },
  ...extra,
});

describe("spot / margin: per part (maker|taker) + (buyer|seller), summed", () => {
  // [name, answer, side, orderType, rate, liquidity]
  const rows: Array<[string, unknown, "BUY" | "SELL", "LIMIT" | "MARKET", string, "maker" | "taker"]> = [
    // Binance's computeCommissionRates for the same account: taker 0.0000006 + 0.06 + 0.0000023
    ["FAQ SELL MARKET: taker", FAQ, "SELL", "MARKET", "0.0600029", "taker"],
    // maker 0.0000005 + 0.05 + 0.00000228 = 0.05000278 < taker: a limit stop may take, the higher is used
    ["FAQ SELL LIMIT: the higher of maker and taker", FAQ, "SELL", "LIMIT", "0.0600029", "taker"],
    ["FAQ BUY MARKET: + buyer", FAQ, "BUY", "MARKET", "0.0600029", "taker"],
    ["flat 0.1 %, SELL LIMIT", flat("0.00100000", "0.00100000"), "SELL", "LIMIT", "0.001", "taker"],
    ["maker above taker, LIMIT: maker", flat("0.00120000", "0.00100000"), "SELL", "LIMIT", "0.0012", "maker"],
    [
      "maker above taker, MARKET: taker",
      flat("0.00120000", "0.00100000"),
      "SELL",
      "MARKET",
      "0.001",
      "taker",
    ],
    [
      "buyer/seller differ",
      flat("0.001", "0.001", {
        standardCommission: { maker: "0.001", taker: "0.001", buyer: "0.0002", seller: "0.0005" },
      }),
      "BUY",
      "MARKET",
      "0.0012",
      "taker",
    ],
    [
      "a missing part counts as 0",
      { symbol: "BTCUSDT", standardCommission: { maker: "0.00075", taker: "0.00075" } },
      "SELL",
      "MARKET",
      "0.00075",
      "taker",
    ],
    ["the emulator's zeros", flat("0.00000000", "0.00000000"), "SELL", "MARKET", "0", "taker"],
  ];
  for (const [name, answer, side, orderType, rate, liquidity] of rows) {
    it(name, () => {
      const c = spotStopCommission(answer, { side, orderType });
      const chargedIn = side === "BUY" ? "base" : "quote";
      assertEquals(c, { rate, liquidity, chargedIn, baseRate: side === "BUY" ? rate : "0" });
    });
  }

  it("bad answers name the field and the rule", () => {
    const stop = { side: "SELL", orderType: "MARKET" } as const;
    assertThrows(
      () => spotStopCommission(flat("0.001", "1e-3"), stop),
      TypeError,
      "Invalid commission standardCommission.taker: expected a plain decimal string",
    );
    assertThrows(
      () => spotStopCommission(flat("0.001", "1.5"), stop),
      RangeError,
      "standardCommission.taker: expected a fraction below 1",
    );
    assertThrows(
      () => spotStopCommission(FAQ, { side: "sell", orderType: "MARKET" } as never),
      TypeError,
      "Invalid stop.side: expected BUY or SELL",
    );
    assertThrows(
      () => futuresStopCommission(FAQ, { orderType: "STOP", side: "SELL" } as never),
      TypeError,
      "Invalid stop.orderType",
    );
    assertThrows(
      () => spotStopCommission(FAQ, { side: "SELL", orderType: "LIMIT", type: "x" } as never),
      TypeError,
      'unknown key "type"',
    );
    const big = flat("0.6", "0.6", { taxCommission: { maker: "0.5", taker: "0.5" } });
    assertThrows(() => spotStopCommission(big, stop), RangeError, "the parts add up to 1.1");
  });
});

describe("futures: makerCommissionRate / takerCommissionRate, charged from the margin balance", () => {
  const rows: Array<[unknown, "LIMIT" | "MARKET", StopCommission]> = [
    [
      { symbol: "BTCUSDT", makerCommissionRate: "0.0002", takerCommissionRate: "0.0005" },
      "MARKET",
      { rate: "0.0005", liquidity: "taker", chargedIn: "margin", baseRate: "0" },
    ],
    [
      { symbol: "BTCUSDT", makerCommissionRate: "0.0002", takerCommissionRate: "0.0005" },
      "LIMIT",
      { rate: "0.0005", liquidity: "taker", chargedIn: "margin", baseRate: "0" },
    ],
    [
      { symbol: "BTCUSD_PERP", makerCommissionRate: "0.0006", takerCommissionRate: "0.0005" },
      "LIMIT",
      { rate: "0.0006", liquidity: "maker", chargedIn: "margin", baseRate: "0" },
    ],
  ];
  for (const [answer, orderType, want] of rows) {
    it(`${JSON.stringify(answer)} ${orderType}`, () =>
      assertEquals(futuresStopCommission(answer, { orderType }), want));
  }
  it("a bad rate is a TypeError naming the field", () => {
    assertThrows(
      () =>
        futuresStopCommission({ makerCommissionRate: "x", takerCommissionRate: "0.0004" }, {
          orderType: "LIMIT",
        }),
      TypeError,
      "makerCommissionRate",
    );
  });
});

describe("into the quantities", () => {
  const rules = { stepSize: "0.00001", minQty: "0.00001" } as never;
  const vip0 = flat("0.001", "0.001");
  it("a SELL stop from the free balance reserves nothing (it pays in the quote asset)", () => {
    const sell = spotStopCommission(vip0, { side: "SELL", orderType: "MARKET" });
    assertEquals(stopQuantity({ free: "0.12345678", commissionRate: sell.baseRate, rules }), {
      ok: true,
      quantity: "0.12345",
    });
  });
  it("a SELL stop sized from what a jump-in BUY bought reserves the BUY's base commission", () => {
    // Python's example: 0.12345678 bought, 0.1 % → 0.12333 (what the account actually received, floored)
    const buy = spotStopCommission(vip0, { side: "BUY", orderType: "MARKET" });
    assertEquals(stopQuantity({ free: "0.12345678", commissionRate: buy.baseRate, rules }), {
      ok: true,
      quantity: "0.12333",
    });
  });
  it("coverQuantity: a BUY stop buys net / (1 − rate), ceiled; futures and SELL: net", () => {
    const buy = spotStopCommission(vip0, { side: "BUY", orderType: "MARKET" });
    const rows: Array<[string, StopCommission, string, string]> = [
      ["1", buy, "0.000001", "1.001002"],
      ["0.5", buy, "0.00001", "0.50051"],
      ["0.5", spotStopCommission(vip0, { side: "SELL", orderType: "MARKET" }), "0.00001", "0.50000"],
      [
        "3",
        futuresStopCommission({ makerCommissionRate: "0.0002", takerCommissionRate: "0.0005" }, {
          orderType: "MARKET",
        }),
        "1",
        "3",
      ],
    ];
    for (const [net, c, step, want] of rows) {
      const q = coverQuantity(net, c, step);
      assertEquals(q, want, `${net} ${c.chargedIn}`);
      // what arrives after the commission covers net
      const arrives = Number(q) * (1 - Number(c.baseRate));
      assertEquals(arrives >= Number(net) - 1e-12, true, `${q} → ${arrives}`);
    }
    assertThrows(() => coverQuantity("1e-3", buy, "0.001"), TypeError, "Invalid net");
  });
});

describe("stopCommission against the emulator, every venue", () => {
  let emu: Emulator;
  before(async () => {
    emu = await emulator();
  });
  after(async () => {
    await emu.close();
  });
  const venues = [
    ["binance.com", "spot", "BTCUSDT", "quote"],
    ["binance.com-margin", "margin", "BTCUSDT", "quote"],
    ["binance.com-isolated_margin", "isolated_margin", "BTCUSDT", "quote"],
    ["binance.com-futures", "usdm", "BTCUSDT", "margin"],
    ["binance.com-coin_futures", "coinm", "BTCUSD_PERP", "margin"],
  ] as const;
  for (const [exchange, kind, symbol, chargedIn] of venues) {
    it(`${exchange}: one signed call, the emulator's rate (0)`, async () => {
      const rest = new BinanceRestClient({ exchange, baseUrl: emu.restUrl, apiKey: KEY, apiSecret: SECRET });
      const c = await stopCommission(rest, kind, symbol, { side: "SELL", orderType: "LIMIT" });
      assertEquals(c, { rate: "0", liquidity: "taker", chargedIn, baseRate: "0" });
    });
  }
  it("an unknown symbol is Binance's refusal", async () => {
    const rest = new BinanceRestClient({ baseUrl: emu.restUrl, apiKey: KEY, apiSecret: SECRET });
    const e = await assertRejects(
      () => stopCommission(rest, "spot", "NOPEUSDT", { side: "SELL", orderType: "MARKET" }),
      BinanceApiError,
    );
    assertEquals(e.code, -1121);
  });
});
