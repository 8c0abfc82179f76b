import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { assert, assertEquals, assertInstanceOf, assertStrictEquals, assertThrows } from "@std/assert";
import {
  createUnicornfy,
  isUnknownEvent,
  unicornfy,
  UNICORNFY_EXCHANGES,
  type UnicornfyExchange,
  type UnicornfyMessage,
  UnicornfyParseError,
} from "../../src/unicornfy/mod.ts";
import { EXCHANGE_NAMES, getExchange } from "../../src/core/exchanges.ts";
import { UNICORNFY_VERSION } from "../../src/unicornfy/version.ts";
import { projectPath, readSharedText } from "../_data.ts";
import * as S from "./_samples.ts";

type Loose = Record<string, unknown>;
const loose = (m: UnicornfyMessage): Loose => m as unknown as Loose;
const spot = (frame: string | object): Loose => loose(unicornfy(frame, { exchange: "binance.com" }));
const futures = (frame: string | object): Loose =>
  loose(unicornfy(frame, { exchange: "binance.com-futures" }));

/** A current-shape spot trade (no b/a since 2024-06-18), built from a Python vector's fields. */
const TRADE_2024 = '{"e":"trade","E":1592591955766,"s":"BTCUSDT","t":343719861,"p":"9302.00000000",' +
  '"q":"0.00101900","T":1592591955765,"m":false,"M":true}';

describe("unicornfy: envelopes and raw frames", () => {
  it("current trade frames (no b/a) work combined and raw: Python raises KeyError 'b' / 'stream'", () => {
    const combined = spot(`{"stream":"btcusdt@trade","data":${TRADE_2024}}`);
    const raw = spot(TRADE_2024);
    assertEquals(combined.streamType, "btcusdt@trade");
    assertEquals(raw.streamType, "trade");
    for (const out of [combined, raw]) {
      assertEquals(out.eventType, "trade");
      assertEquals(out.tradeId, 343719861);
      assertEquals(out.price, "9302.00000000");
      assert(!("buyerOrderId" in out) && !("sellerOrderId" in out));
    }
  });

  it("raw aggTrade and kline payloads (no stream key) are normalized", () => {
    const combined =
      JSON.parse(readSharedText("unicornfy/TestBinanceComWebsocket__test_kline_1m.json")).input_parsed;
    const out = spot(combined.data);
    assertEquals(out.eventType, "kline");
    assertEquals(out.streamType, "kline");
    assertEquals((out.kline as Loose).firstTradeId, combined.data.k.f);
    const agg = futures(
      '{"e":"aggTrade","E":1,"s":"BTCUSDT","a":5,"p":"1.0","q":"2","f":3,"l":4,"T":1,"m":true}',
    );
    assertEquals([agg.eventType, agg.aggregateTradeId, agg.firstTradeId], ["aggTrade", 5, 3]);
  });

  it("WS-API user-data envelope: subscriptionId kept, payload mapped", () => {
    const out = spot(`{"subscriptionId":3,"event":${S.OUTBOUND_ACCOUNT_POSITION}}`);
    assertEquals(out, {
      streamType: "!userData@arr",
      eventType: "outboundAccountPosition",
      eventTime: 1564034571105,
      lastUpdateTime: 1564034571073,
      balances: [{ asset: "ETH", free: "10000.000000", locked: "0.000000" }],
      subscriptionId: 3,
      unicornfied: ["binance.com", UNICORNFY_VERSION],
    });
    assertEquals(spot(S.OUTBOUND_ACCOUNT_POSITION).balances, out.balances);
  });

  it("eventStreamTerminated without subscriptionId (Python: KeyError 'data')", () => {
    const out = spot('{"event":{"e":"eventStreamTerminated","E":1728973001334}}');
    assertEquals([out.eventType, out.eventTime, out.streamType], [
      "eventStreamTerminated",
      1728973001334,
      "!userData@arr",
    ]);
    assert(!("subscriptionId" in out));
  });

  it("executionReport: Python's fields plus the ones it drops, ignore_g/ignore_I named for what they are", () => {
    const raw = JSON.parse(S.EXECUTION_REPORT);
    const out = spot(S.EXECUTION_REPORT);
    const expected: Record<string, string> = {
      eventTime: "E",
      symbol: "s",
      clientOrderId: "c",
      side: "S",
      orderType: "o",
      timeInForce: "f",
      orderQuantity: "q",
      orderPrice: "p",
      stopPrice: "P",
      icebergQuantity: "F",
      orderListId: "g",
      originalClientOrderId: "C",
      currentExecutionType: "x",
      currentOrderStatus: "X",
      orderRejectReason: "r",
      orderId: "i",
      lastExecutedQuantity: "l",
      cumulativeFilledQuantity: "z",
      lastExecutedPrice: "L",
      commissionAmount: "n",
      commissionAsset: "N",
      transactionTime: "T",
      tradeId: "t",
      executionId: "I",
      isOrderWorking: "w",
      isTradeMakerSide: "m",
      ignoreM: "M",
      orderCreationTime: "O",
      cumulativeQuoteAssetTransactedQuantity: "Z",
      lastQuoteAssetTransactedQuantity: "Y",
      quoteOrderQuantity: "Q",
      trailingDelta: "d",
      trailingTime: "D",
      strategyId: "j",
      strategyType: "J",
      workingTime: "W",
      selfTradePreventionMode: "V",
    };
    for (const [key, rawKey] of Object.entries(expected)) assertStrictEquals(out[key], raw[rawKey], key);
    // every raw key except `e` is mapped: nothing of the docs sample is lost
    assertEquals(Object.keys(out).length, 3 + Object.keys(raw).length - 1);
  });

  it("listStatus keeps Python's <symbol>@listStatus stream type", () => {
    const out = spot(S.LIST_STATUS);
    assertEquals(out.streamType, "ethbtc@listStatus");
    assertEquals(out.objects, [
      { symbol: "ETHBTC", orderId: 17, clientOrderId: "AJYsMjErWJesZvqlJCTUgL" },
      { symbol: "ETHBTC", orderId: 18, clientOrderId: "bfYPSQdLoqAJeNrOr9adzq" },
    ]);
  });

  it("spot frames without e: raw and combined bookTicker, raw and combined partial depth", () => {
    const raw = spot(S.BOOK_TICKER);
    assertEquals([raw.eventType, raw.streamType, raw.bestAskQuantity], [
      "bookTicker",
      "bookTicker",
      "40.66000000",
    ]);
    const combined = spot(`{"stream":"bnbusdt@bookTicker","data":${S.BOOK_TICKER}}`);
    assertEquals([combined.eventType, combined.streamType], ["bookTicker", "bnbusdt@bookTicker"]);
    const depth = spot(`{"stream":"btcusdt@depth20@100ms","data":${S.PARTIAL_DEPTH}}`);
    assertEquals(depth, {
      streamType: "btcusdt@depth20@100ms",
      eventType: "depth",
      symbol: "BTCUSDT",
      depthLevel: 20,
      lastUpdateId: 160,
      bids: [["0.0024", "10"]],
      asks: [["0.0026", "100"]],
      unicornfied: ["binance.com", UNICORNFY_VERSION],
    });
    const rawDepth = spot(S.PARTIAL_DEPTH);
    assertEquals([rawDepth.eventType, rawDepth.lastUpdateId, "symbol" in rawDepth], ["depth", 160, false]);
  });

  it("futures partial depth takes depthLevel from the stream; diff depth has false", () => {
    const frame = (stream: string) =>
      `{"stream":"${stream}","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":1,"u":2,"pu":0,"b":[],"a":[]}}`;
    assertEquals(futures(frame("btcusdt@depth10@500ms")).depthLevel, 10);
    assertEquals(futures(frame("btcusdt@depth5")).depthLevel, 5);
    assertEquals(futures(frame("btcusdt@depth@100ms")).depthLevel, false);
  });

  it("combined all-market arrays: !miniTicker@arr, !markPrice@arr (Python: lost), !ticker_1h@arr", () => {
    const arr =
      JSON.parse(readSharedText("unicornfy/TestBinanceComWebsocketFutures__test_markPrice_arr.json")).input;
    const out = futures(`{"stream":"!markPrice@arr@1s","data":${arr}}`);
    assertEquals(out.eventType, "markPriceUpdate");
    assertEquals(out.streamType, "!markPrice@arr@1s");
    const items = out.data as Loose[];
    assertEquals(items.length, JSON.parse(arr).length);
    assertEquals(items[0].streamType, "!markPrice@arr@1s");
    const rolling = spot(
      '{"stream":"!ticker_1h@arr","data":[{"e":"1hTicker","E":2,"s":"BNBBTC","p":"0.0015","P":"250.00","o":"0.0010",' +
        '"h":"0.0025","l":"0.0010","c":"0.0025","w":"0.0018","v":"10000","q":"18","O":0,"C":1,"F":0,"L":18150,"n":18151}]}',
    );
    assertEquals(rolling.eventType, "1hTicker");
    assertEquals((rolling.data as Loose[])[0].lastTradeId, 18150);
    assertEquals(spot('{"e":"1dTicker","E":1,"s":"X","c":"1"}').streamType, "!ticker_1d@arr");
  });

  it("avgPrice and futures strategy/grid/algo events are mapped (Python returns only the tag)", () => {
    assertEquals(spot(S.AVG_PRICE).averagePrice, "25776.86000000");
    const strategy = futures(S.STRATEGY_UPDATE);
    assertEquals([strategy.strategyId, strategy.strategyStatus, strategy.opCode], [176054594, "NEW", 8007]);
    const grid = futures(S.GRID_UPDATE);
    assertEquals([grid.realizedPnl, grid.unmatchedQuantity, grid.updateTime], [
      "-0.00300716",
      "-0.001",
      1669262908197,
    ]);
    const algo = futures(S.ALGO_UPDATE);
    assertEquals([algo.eventType, algo.algoId, algo.triggerPrice, algo.rejectReason], [
      "ALGO_UPDATE",
      2148719,
      "750",
      "Reduce Only reject",
    ]);
    assertEquals(algo.streamType, "ALGO_UPDATE");
  });

  it("listenKeyExpired: the key is not copied; a combined user stream's listen key is not a stream type", () => {
    const key = "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1";
    const out = futures(
      `{"stream":"${key}","data":{"e":"listenKeyExpired","E":1576653824250,"listenKey":"${key}"}}`,
    );
    assertEquals(out.streamType, "listenKeyExpired");
    assert(!JSON.stringify(out).includes(key));
    const unknownUser = futures(`{"stream":"${key}","data":{"e":"SOME_NEW_EVENT","E":1}}`);
    assertEquals(unknownUser.streamType, null);
  });
});

describe("unicornfy: unknown events, replies, errors", () => {
  it("unknown events keep eventType = raw name and the payload (same object)", () => {
    const data = { e: "brandNewEvent", E: 1, x: "keep me" };
    const out = unicornfy({ stream: "btcusdt@brandNew", data }, { exchange: "binance.com" });
    assert(isUnknownEvent(out));
    assertEquals(String(out.eventType), "brandNewEvent");
    assertStrictEquals(out.payload, data);
    assertEquals(out.streamType, "btcusdt@brandNew");
    assert(!isUnknownEvent(unicornfy(TRADE_2024, { exchange: "binance.com" })));
    assert(!isUnknownEvent(unicornfy('{"result":null,"id":1}', { exchange: "binance.com" })));
  });

  it("frames without an event name and arrays of unknown events are returned, not dropped", () => {
    const nameless = spot('{"foo":1}');
    assertEquals([nameless.eventType, nameless.payload], ["", { foo: 1 }]);
    const arr = futures('[{"e":"openInterestUpdate","s":"X"}]');
    assertEquals([arr.eventType, arr.payload], ["openInterestUpdate", [{ e: "openInterestUpdate", s: "X" }]]);
    assertEquals(spot("[]").payload, []);
  });

  it("vanilla options: market events are mapped, others pass through with their payload", () => {
    const ex = { exchange: "binance.com-vanilla-options" } as const;
    const trade = loose(unicornfy('{"e":"trade","E":1,"s":"BTC-240628-60000-C","S":"BUY"}', ex));
    assertEquals([trade.eventType, trade.symbol, trade.side], ["trade", "BTC-240628-60000-C", "BUY"]);
    const other = loose(unicornfy('[{"e":"openInterest","E":1,"s":"BTC-240628-60000-C","o":"1"}]', ex));
    assertEquals([other.eventType, (other.payload as Loose[])[0].s], ["openInterest", "BTC-240628-60000-C"]);
  });

  it("portfolio margin: spot-margin and futures user events are both known", () => {
    const pm = createUnicornfy({ exchange: "binance.com-portfolio_margin" });
    assertEquals(loose(pm(S.EXECUTION_REPORT)).orderId, 4293153);
    assertEquals(loose(pm(S.STRATEGY_UPDATE)).strategyId, 176054594);
  });

  it("replies and errors: LIST_SUBSCRIPTIONS, WS-API response, control error, error object", () => {
    assertEquals(spot('{"result":["btcusdt@aggTrade"],"id":3}'), {
      eventType: "result",
      result: ["btcusdt@aggTrade"],
      id: 3,
      unicornfied: ["binance.com", UNICORNFY_VERSION],
    });
    const wsApi = spot('{"id":"a1","status":200,"result":{"subscriptionId":0},"rateLimits":[]}');
    assertEquals([wsApi.eventType, wsApi.status, wsApi.id], ["result", 200, "a1"]);
    assertEquals(spot('{"code":0,"msg":"Unknown property","id":5}'), {
      eventType: "error",
      error: { code: 0, msg: "Unknown property" },
      id: 5,
      unicornfied: ["binance.com", UNICORNFY_VERSION],
    });
    const err = spot('{"error":{"code":2,"msg":"Invalid request: unknown variant"},"id":1}');
    assertEquals([err.eventType, (err.error as Loose).code], ["error", 2]);
  });
});

describe("unicornfy: numbers, input errors", () => {
  it("ids above 2^53 − 1 arrive as exact bigint; prices stay strings", () => {
    const out = spot(
      '{"e":"trade","E":1,"s":"ETHUSDT","t":18446744073709551615,"p":"0.10000000","q":"1","T":1,"m":true,"M":true}',
    );
    assertEquals(out.tradeId, 18446744073709551615n);
    assertEquals(out.price, "0.10000000");
  });

  it("non-JSON text: UnicornfyParseError (a SyntaxError) naming the exchange and the first characters", () => {
    for (const text of ["", "hello world", "<html><body>502 Bad Gateway</body></html>", '{"e":"trade",']) {
      const error = assertThrows(() => unicornfy(text, { exchange: "binance.us" }), UnicornfyParseError);
      assertInstanceOf(error, SyntaxError);
      assertEquals(error.exchange, "binance.us");
      assertEquals(error.head, text.slice(0, 40));
      assert(
        error.message.includes("binance.us") && error.message.includes(JSON.stringify(text.slice(0, 40))),
      );
      assertInstanceOf(error.cause, SyntaxError);
    }
  });

  it("JSON that is not an object or array, a non-string frame, an unknown exchange", () => {
    for (const text of ["42", "null", '"text"', "true"]) {
      assertThrows(
        () => unicornfy(text, { exchange: "binance.com" }),
        TypeError,
        "expected a JSON object or array",
      );
    }
    assertThrows(() => unicornfy(7 as unknown as string, { exchange: "binance.com" }), TypeError);
    assertThrows(
      () => unicornfy("{}", { exchange: "binance.je" as UnicornfyExchange }),
      RangeError,
      'unknown exchange "binance.je"',
    );
    assertThrows(() => createUnicornfy({ exchange: "toString" as UnicornfyExchange }), RangeError);
  });

  it("every exchange of the core catalog has a family matching its market", () => {
    const families: Record<string, string> = {
      spot: "spot",
      margin: "spot",
      isolated_margin: "spot",
      usdm: "futures",
      coinm: "futures",
      options: "options",
      portfolio_margin: "portfolio_margin",
    };
    assertEquals(Object.keys(UNICORNFY_EXCHANGES).sort(), [...EXCHANGE_NAMES].sort());
    for (const name of EXCHANGE_NAMES) {
      assertEquals(UNICORNFY_EXCHANGES[name], families[getExchange(name).market], name);
    }
  });

  it("the version tag equals deno.json's version", () => {
    const denoJson = readFileText("deno.json");
    const match = /"version":\s*"([^"]+)"/.exec(denoJson);
    assert(match);
    assertEquals(UNICORNFY_VERSION, match[1]);
  });
});

function readFileText(rel: string): string {
  return readFileSync(projectPath(rel), "utf8");
}
