// Python's defects T1–T21 (python-suite.md E.11) that concern decisions, each with the corrected
// behaviour. T1–T3 have their rows in engine_python_test.ts (E.4 C/D).
//
// The I/O defects are covered elsewhere:
// - trail-runner (BinanceTrailingStopLossManager): T6 atomic cancelReplace / new-then-cancel,
//   T7/T8 adoption of the own stop by id (the ids come from ownClientOrderId below), T10
//   retries with back-off and onError, T13 keeping the rest on PARTIALLY_FILLED (the arithmetic
//   is afterPartialFill below), T15 streams after setup, T16 no secrets in logs, T17 per-venue
//   account parsing and ORDER_TRADE_UPDATE, T18 errors as callbacks/rejections, T21 saying what
//   is left on the book on stop and testnet commands hitting the testnet.
// - trail-engine's CLI and notification parts: T11 stop_loss_trigger_gap / order type read from
//   profiles and flags (cli_args_test.ts), T21 Telegram text encoding (notify_test.ts), --logfile
//   honoured and the SMTP port validated instead of int(None) (cli_config_test.ts).
// - T19 (spaces between characters in a log line) has no counterpart: no such joining exists.
import { describe, it } from "node:test";
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  afterPartialFill,
  averageFillPrice,
  classifyOrderError,
  initialTrail,
  isOwnOrder,
  jumpInFill,
  nativeTrail,
  onPrice,
  ownClientOrderId,
  priceFromEvent,
  priceSource,
  stopQuantity,
  symbolRules,
  trailConfig,
} from "../../src/trailing/engine.ts";
import { ccxtSpot, rulesOf, symbol, usdmInfo } from "./_rules.ts";

const btc = symbolRules(ccxtSpot(), "spot");

describe("T4 precision from the step string", () => {
  it("an integer step 1.00000000 floors to whole units (Python's get_precision returned 8)", () => {
    assertEquals(stopQuantity({ free: "25.7", rules: rulesOf("0.0001", "1.00000000") }), {
      ok: true,
      quantity: "25",
    });
  });
  it("a step of 10 floors to multiples of 10", () => {
    assertEquals(stopQuantity({ free: "257", rules: rulesOf("0.0001", "10") }), {
      ok: true,
      quantity: "250",
    });
  });
});

describe("T5 decimal strings, never exponent notation", () => {
  it("a quantity of 1e-7 is written 0.00000010 (Python's str(round(1e-07, 8)) is '1e-07')", () => {
    const r = stopQuantity({ free: "0.0000001", rules: rulesOf("0.00000001", "0.00000001") });
    assertEquals(r, { ok: true, quantity: "0.00000010" });
  });
  it("a micro-priced stop is written in full", () => {
    const cfg = trailConfig({ side: "SELL", distance: "1%", orderType: "MARKET" });
    const d = initialTrail(cfg, rulesOf("0.00000001", "1"), {
      price: "0.00001234",
      time: 0,
      quantity: "1000000",
    });
    assertEquals(d.action.kind === "place" && d.action.order.stopPrice, "0.00001221");
  });
});

describe("T6 minimum step and debounce (one replace per tick at most, none more often than the debounce)", () => {
  const cfg = trailConfig({
    side: "SELL",
    distance: "10",
    orderType: "MARKET",
    minStep: "1",
    debounceMs: 1000,
  });
  const first = initialTrail(cfg, btc, { price: "1000.00", time: 0, quantity: "1" }).state;
  it("a gain below minStep sends nothing", () => {
    assertEquals(onPrice(first, { price: "1000.50", time: 5000 }, cfg, btc).action, {
      kind: "none",
      reason: "min-step",
    });
  });
  it("a gain within the debounce sends nothing and says when to look again", () => {
    assertEquals(onPrice(first, { price: "1005.00", time: 400 }, cfg, btc).action, {
      kind: "none",
      reason: "debounce",
      retryAt: 1000,
    });
  });
  it("the best price seen during the debounce is kept: a later tick at a lower price still moves to it", () => {
    const during = onPrice(first, { price: "1005.00", time: 400 }, cfg, btc).state;
    const after = onPrice(during, { price: "1001.00", time: 1000 }, cfg, btc);
    assertEquals(after.action.kind === "replace" && after.action.order.stopPrice, "995.00");
  });
  it("a percent minStep is a percent of the price", () => {
    const pct = trailConfig({ side: "SELL", distance: "10", orderType: "MARKET", minStep: "0.5%" });
    const s = initialTrail(pct, btc, { price: "1000.00", time: 0, quantity: "1" }).state;
    assertEquals(onPrice(s, { price: "1004.00", time: 1 }, pct, btc).action.kind, "none");
    assertEquals(onPrice(s, { price: "1005.03", time: 1 }, pct, btc).action.kind, "replace");
  });
  it("a failed replace goes on with `keep`: the old stop, the new best price", () => {
    const d = onPrice(first, { price: "1100.00", time: 2000 }, cfg, btc);
    assertEquals(d.keep.stop, first.stop);
    assertEquals(d.keep.best, "1100");
    const retry = onPrice(d.keep, { price: "1090.00", time: 2100 }, cfg, btc);
    // level 1100 − 10 = 1090.00 would trigger at the price 1090.00: one tick below it
    assertEquals(retry.action.kind === "replace" && retry.action.order.stopPrice, "1089.99");
  });
});

describe("T7/T8 own orders by clientOrderId prefix", () => {
  it("own ids round-trip; a foreign STOP_LOSS_LIMIT on the symbol is not ours", () => {
    const id = ownClientOrderId("ubtsl_ab12", 123456);
    assertEquals(id, "ubtsl_ab12-2n9c");
    assert(id.length <= 36);
    assertEquals(isOwnOrder("ubtsl_ab12", id), true);
    assertEquals(isOwnOrder("ubtsl_ab12", "ubtsl_ab13-2n9c"), false);
    assertEquals(isOwnOrder("ubtsl_ab12", "web_1234567"), false);
    assertEquals(isOwnOrder("ubtsl_ab12", "ubtsl_ab12-"), false);
  });
  it("a prefix Binance would refuse is a TypeError naming the rule", () => {
    assertThrows(() => ownClientOrderId("has space", 1), TypeError, "prefix");
    assertThrows(() => ownClientOrderId("a-b", 1), TypeError, "prefix");
    assertThrows(() => ownClientOrderId("ok", -1), TypeError, "sequence");
  });
});

describe("T9/T10 order errors are classified, not retried blindly", () => {
  const rows: Array<[{ code?: number; status?: number; message?: string }, string]> = [
    [{ code: -2010, status: 400, message: "Order would trigger immediately." }, "would-trigger"],
    [{ code: -2021, status: 400, message: "Order would immediately trigger." }, "would-trigger"],
    [
      { code: -2010, status: 400, message: "Account has insufficient balance for requested action." },
      "insufficient-balance",
    ],
    [{ code: -2019, status: 400, message: "Margin is insufficient." }, "insufficient-balance"],
    [{ code: -1013, status: 400, message: "Filter failure: NOTIONAL" }, "filter"],
    [{ code: -1003, status: 429, message: "Too many requests" }, "rate-limit"],
    [{ code: 0, status: 418, message: "banned" }, "rate-limit"],
    [
      { code: -1007, status: 408, message: "Timeout waiting for response from backend server." },
      "unknown-outcome",
    ],
    [{ code: 0, status: 503, message: "Service unavailable" }, "unknown-outcome"],
    [{ code: -2021, status: 409, message: "Order cancel-replace partially failed." }, "unknown-outcome"],
    [{ message: "fetch failed" }, "unknown-outcome"],
    [{ code: -2011, status: 400, message: "Unknown order sent." }, "unknown-order"],
    [
      { code: -1021, status: 400, message: "Timestamp for this request is outside of the recvWindow." },
      "transient",
    ],
    [{ code: -1121, status: 400, message: "Invalid symbol." }, "fatal"],
  ];
  for (const [err, want] of rows) {
    it(`${err.code ?? "-"} / ${err.status ?? "-"} ${err.message} → ${want}`, () => {
      assertEquals(classifyOrderError(err), want);
    });
  }
});

describe("T11 order type, start limit and trigger gap are honoured", () => {
  it("MARKET → STOP_LOSS on spot and margin, STOP_MARKET on futures; LIMIT → STOP_LOSS_LIMIT / STOP", () => {
    const m = trailConfig({ side: "SELL", distance: "1%", orderType: "MARKET" });
    const l = trailConfig({ side: "SELL", distance: "1%" });
    const start = { price: "65000.00", time: 0, quantity: "0.1" };
    const fut = symbolRules(usdmInfo(), "usdm");
    const types = [
      initialTrail(m, btc, start),
      initialTrail(l, btc, start),
      initialTrail(m, symbolRules(ccxtSpot(), "isolated_margin"), start),
      initialTrail(m, fut, start),
      initialTrail(l, fut, start),
    ].map((d) => d.action.kind === "place" ? d.action.order.type : d.action.kind);
    assertEquals(types, ["STOP_LOSS", "STOP_LOSS_LIMIT", "STOP_LOSS", "STOP_MARKET", "STOP"]);
    const market = initialTrail(m, btc, start);
    assertEquals(market.action.kind === "place" && market.action.order.limitPrice, undefined);
  });
  it("startDistance sets the first stop only; the trail then uses distance", () => {
    const cfg = trailConfig({ side: "SELL", distance: "1%", startDistance: "0.1%", orderType: "MARKET" });
    const d = initialTrail(cfg, btc, { price: "1000.00", time: 0, quantity: "1" });
    assertEquals(d.action.kind === "place" && d.action.order.stopPrice, "999.00");
    // the next stop from 1000 at 1 % would be 990: not better than 999 → nothing
    assertEquals(onPrice(d.state, { price: "1000.00", time: 1 }, cfg, btc).action.kind, "none");
    const up = onPrice(d.state, { price: "1020.00", time: 2 }, cfg, btc);
    assertEquals(up.action.kind === "replace" && up.action.order.stopPrice, "1009.80");
  });
  it("a fixed first stopLossPrice is used as the level", () => {
    const cfg = trailConfig({ side: "SELL", distance: "1%", triggerGap: "0.01" });
    const d = initialTrail(cfg, btc, { price: "1000.00", time: 0, quantity: "1", stopLossPrice: "950.005" });
    assertEquals(d.action.kind === "place" && [d.action.order.stopPrice, d.action.order.limitPrice], [
      "950.01",
      "950.00",
    ]);
  });
});

describe("T12 commission from account/commission, not a hard-coded 0.1 %", () => {
  it("a 0 % commission (BNB pays the fee) reserves nothing", () => {
    assertEquals(stopQuantity({ free: "0.12345678", commissionRate: "0", rules: btc }), {
      ok: true,
      quantity: "0.12345",
    });
  });
  it("a rate of 1 or more is a RangeError", () => {
    assertThrows(
      () => stopQuantity({ free: "1", commissionRate: "1", rules: btc }),
      RangeError,
      "commissionRate",
    );
  });
});

describe("T13/T14 partial fills and the average fill price", () => {
  const cfg = trailConfig({ side: "SELL", distance: "1%", orderType: "MARKET" });
  it("after PARTIALLY_FILLED the stop keeps only the rest", () => {
    const s = initialTrail(cfg, btc, { price: "1000.00", time: 0, quantity: "0.50000" }).state;
    const rest = afterPartialFill(s, "0.12345", btc);
    assertEquals([rest.quantity, rest.stop!.quantity], ["0.37655", "0.37655"]);
    const up = onPrice(rest, { price: "1100.00", time: 1 }, cfg, btc);
    assertEquals(up.action.kind === "replace" && up.action.order.quantity, "0.37655");
    assertThrows(() => afterPartialFill(s, "0.6", btc), RangeError, "exceeds");
  });
  it("FILLED reports Z / z, the average, not the limit price p", () => {
    assertEquals(averageFillPrice("6402.61500", "0.1"), "64026.15");
    assertEquals(averageFillPrice("100", "3", btc), "33.33");
    assertThrows(() => averageFillPrice("1", "0"), RangeError);
  });
});

describe("T17 shorts and futures", () => {
  const fut = symbolRules(usdmInfo(), "usdm");
  it("a BUY stop for a short sits above the price, ceiled to tick, and only moves down", () => {
    const cfg = trailConfig({ side: "BUY", distance: "1%", orderType: "MARKET" });
    const d = initialTrail(cfg, fut, { price: "65000.0", time: 0, quantity: "0.010" });
    assertEquals(d.action.kind === "place" && [d.action.order.side, d.action.order.stopPrice], [
      "BUY",
      "65650.0",
    ]);
    assertEquals(onPrice(d.state, { price: "65100.0", time: 1 }, cfg, fut).action.kind, "none");
    const down = onPrice(d.state, { price: "64000.0", time: 2 }, cfg, fut);
    assertEquals(down.action.kind === "replace" && down.action.order.stopPrice, "64640.0");
  });
  it("futures MIN_NOTIONAL.notional blocks a stop below 100 USDT", () => {
    const cfg = trailConfig({ side: "SELL", distance: "1%", orderType: "MARKET" });
    const d = initialTrail(cfg, fut, { price: "65000.0", time: 0, quantity: "0.001" });
    assertEquals(d.action.kind === "blocked" && d.action.rule, "MIN_NOTIONAL");
  });
  it("futures MARKET_LOT_SIZE caps a STOP_MARKET", () => {
    const cfg = trailConfig({ side: "SELL", distance: "1%", orderType: "MARKET" });
    const d = initialTrail(cfg, fut, { price: "65000.0", time: 0, quantity: "150.000" });
    assertEquals(d.action.kind === "blocked" && d.action.rule, "MARKET_LOT_SIZE");
    // a STOP (limit) of the same size only obeys LOT_SIZE
    const l = initialTrail(trailConfig({ side: "SELL", distance: "1%" }), fut, {
      price: "65000.0",
      time: 0,
      quantity: "150.000",
    });
    assertEquals(l.action.kind, "place");
  });
  it("PERCENT_PRICE: a 6 % limit stop is outside 0.95..1.05 and is blocked; 4 % passes", () => {
    const far = initialTrail(trailConfig({ side: "SELL", distance: "6%" }), fut, {
      price: "65000.0",
      time: 0,
      quantity: "0.010",
    });
    assertEquals(far.action.kind === "blocked" && far.action.rule, "PERCENT_PRICE");
    const near = initialTrail(trailConfig({ side: "SELL", distance: "4%" }), fut, {
      price: "65000.0",
      time: 0,
      quantity: "0.010",
    });
    assertEquals(near.action.kind, "place");
  });
  it("PERCENT_PRICE_BY_SIDE: a limit just below the SELL band is pulled into it when the trigger allows", () => {
    const info = symbol("0.01", "0.001", [
      {
        filterType: "PERCENT_PRICE_BY_SIDE",
        bidMultiplierUp: "5",
        bidMultiplierDown: "0.2",
        askMultiplierUp: "1.2",
        askMultiplierDown: "0.9",
      },
    ]);
    const rules = symbolRules(info, "spot");
    // level 95 × 0.9… the limit 89.00 is below 100 × 0.9 = 90.00, the trigger 91.00 is not
    const cfg = trailConfig({ side: "SELL", distance: "11", triggerGap: "2" });
    const d = initialTrail(cfg, rules, { price: "100.00", time: 0, quantity: "1" });
    assertEquals(
      d.action.kind === "place" &&
        [d.action.order.stopPrice, d.action.order.limitPrice, d.action.order.adjusted],
      [
        "91.00",
        "90.00",
        ["percent-price"],
      ],
    );
    // the ratchet compares levels, not the pulled-in limit: a level of 89.50 (below that limit)
    // still moves the stop up
    const up = onPrice(d.state, { price: "100.50", time: 1 }, cfg, rules);
    assertEquals(up.action.kind === "replace" && [up.action.order.stopPrice, up.action.order.limitPrice], [
      "91.50",
      "90.45",
    ]);
  });
});

describe("T20 jump-in fills: VWAP over all fills, not fills[0]", () => {
  it("three fills", () => {
    const fills = [{ price: "65000.00", qty: "0.001" }, { price: "65010.00", qty: "0.002" }, {
      price: "65020.00",
      qty: "0.007",
    }];
    assertEquals(jumpInFill(fills), { quantity: "0.01", quoteQuantity: "650.16", averagePrice: "65016" });
    assertEquals(jumpInFill(fills, btc).averagePrice, "65016.00");
  });
  it("no fills is a RangeError; a malformed fill a TypeError naming it", () => {
    assertThrows(() => jumpInFill([]), RangeError);
    assertThrows(() => jumpInFill([{ price: "1e3", qty: "1" }]), TypeError, "fills[0].price");
  });
});

describe("native trail fit (mode auto picks client when it does not fit)", () => {
  const spot = symbolRules(ccxtSpot(), "spot");
  const fut = symbolRules(usdmInfo(), "usdm");
  const cfg = (distance: string, orderType: "LIMIT" | "MARKET" = "MARKET", side: "SELL" | "BUY" = "SELL") =>
    trailConfig({ side, distance, orderType });
  it("spot 1.5 % → trailingDelta 150 BIPS (STOP_LOSS)", () => {
    const r = nativeTrail(cfg("1.5%"), spot, "65000.00");
    assertEquals(r, {
      ok: true,
      effectivePercent: "1.5",
      native: { kind: "trailingDelta", type: "STOP_LOSS", side: "SELL", trailingDelta: 150 },
    });
  });
  it("an absolute distance becomes BIPS of the price (650 of 65000 = 100 BIPS)", () => {
    const r = nativeTrail(cfg("650"), spot, "65000.00");
    assertEquals(r.ok && r.native.kind === "trailingDelta" && r.native.trailingDelta, 100);
  });
  it("outside TRAILING_DELTA 10..2000 → a reason", () => {
    assertEquals(nativeTrail(cfg("0.05%"), spot, "65000.00"), {
      ok: false,
      reason: "Distance 0.05% is 5 BIPS, outside TRAILING_DELTA 10..2000",
    });
    assertEquals(nativeTrail(cfg("25%"), spot, "65000.00").ok, false);
  });
  it("a LIMIT native stop gets a limit one tick beyond the level at placement", () => {
    const r = nativeTrail(cfg("1%", "LIMIT"), spot, "65000.00");
    assertEquals(r.ok && r.native.kind === "trailingDelta" && [r.native.type, r.native.limitPrice], [
      "STOP_LOSS_LIMIT",
      "64349.99",
    ]);
  });
  it("margin has no native trail", () => {
    assertEquals(nativeTrail(cfg("1%"), symbolRules(ccxtSpot(), "margin"), "65000.00").ok, false);
  });
  it("futures: callbackRate 0.1..10 with one decimal, MARKET only", () => {
    const r = nativeTrail(
      trailConfig({ side: "SELL", distance: "1.26%", orderType: "MARKET", activationPrice: "66000.05" }),
      fut,
      "65000.0",
    );
    assertEquals(r, {
      ok: true,
      effectivePercent: "1.3",
      native: {
        kind: "callbackRate",
        type: "TRAILING_STOP_MARKET",
        side: "SELL",
        callbackRate: "1.3",
        activationPrice: "66000.1",
      },
    });
    assertEquals(nativeTrail(cfg("12%"), fut, "65000.0").ok, false);
    assertEquals(nativeTrail(cfg("0.04%"), fut, "65000.0").ok, false);
    assertEquals(nativeTrail(cfg("1%", "LIMIT"), fut, "65000.0").ok, false);
  });
});

describe("price source", () => {
  it("last trade, bid for a SELL stop, ask for a BUY stop, mark on futures only", () => {
    assertEquals(priceSource("spot", "SELL").channel, "aggTrade");
    assertEquals(priceSource("spot", "SELL", "book").field, "b");
    assertEquals(priceSource("spot", "BUY", "book").field, "a");
    assertEquals(priceSource("usdm", "SELL", "mark").channel, "markPrice@1s");
    assertThrows(() => priceSource("spot", "SELL", "mark"), RangeError, "mark");
    assertThrows(() => priceSource("spot", "SELL", "vwap" as never), RangeError, "vwap");
  });
  it("reads raw and UnicornFy events", () => {
    const book = priceSource("spot", "SELL", "book");
    assertEquals(priceFromEvent(book, { u: 1, s: "BTCUSDT", b: "64999.99", a: "65000.01" }), {
      price: "64999.99",
    });
    assertEquals(priceFromEvent(book, { bestBidPrice: "1.5", bestAskPrice: "1.6" }), { price: "1.5" });
    const mark = priceSource("coinm", "BUY", "mark");
    assertEquals(priceFromEvent(mark, { e: "markPriceUpdate", E: 7, p: "65000.1" }), {
      price: "65000.1",
      time: 7,
    });
    assertEquals(priceFromEvent(priceSource("spot", "SELL"), { e: "aggTrade", p: "0.0000" }), undefined);
    assertEquals(priceFromEvent(priceSource("spot", "SELL"), { e: "aggTrade" }), undefined);
  });
});

describe("bad input", () => {
  it("trail options: unknown key, bad amount, zero distance", () => {
    assertThrows(
      () => trailConfig({ side: "SELL", distance: "1%", stopLossLimit: "1%" } as never),
      TypeError,
      "stopLossLimit",
    );
    assertThrows(() => trailConfig({ side: "SELL", distance: "1e-3" }), TypeError, "distance");
    assertThrows(() => trailConfig({ side: "SELL", distance: "0%" }), RangeError, "distance");
    assertThrows(() => trailConfig({ side: "SELL", distance: "100%" }), RangeError, "distance");
    assertThrows(() => trailConfig({ side: "LONG" as never, distance: "1%" }), TypeError, "side");
    assertThrows(
      () => trailConfig({ side: "SELL", distance: "1%", debounceMs: -1 }),
      TypeError,
      "debounceMs",
    );
  });
  it("a price in exponent notation or a NaN time is a TypeError", () => {
    const cfg = trailConfig({ side: "SELL", distance: "1%" });
    const s = initialTrail(cfg, btc, { price: "100.00", time: 0, quantity: "1" }).state;
    assertThrows(() => onPrice(s, { price: "1e2", time: 1 }, cfg, btc), TypeError, "price");
    assertThrows(() => onPrice(s, { price: "100", time: NaN }, cfg, btc), TypeError, "time");
  });
  it("a distance larger than the price is blocked, not a negative stop", () => {
    const d = initialTrail(trailConfig({ side: "SELL", distance: "150" }), btc, {
      price: "100.00",
      time: 0,
      quantity: "1",
    });
    assertEquals(d.action.kind === "blocked" && d.action.rule, "distance");
  });
  it("symbol rules need a tick and a step", () => {
    assertThrows(
      () => symbolRules({ symbol: "X", baseAsset: "X", quoteAsset: "Y", filters: [] }, "spot"),
      RangeError,
      "tickSize",
    );
    assertThrows(() => symbolRules(ccxtSpot(), "futures" as never), TypeError, "venue");
  });
});
