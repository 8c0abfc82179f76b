/**
 * Type-level tests: these functions only compile when `switch (msg.eventType)` narrows the union
 * (`deno check tests/unicornfy/types_test.ts`; `deno test` type-checks too). The runtime part feeds
 * real frames through them and checks the table names and the type names are the same set.
 */
import { describe, it } from "node:test";
import { assertEquals } from "@std/assert";
import {
  FUTURES_MARKET_EVENTS,
  FUTURES_USER_EVENTS,
  OPTIONS_MARKET_EVENTS,
  OPTIONS_USER_EVENTS,
  PORTFOLIO_MARGIN_USER_EVENTS,
  SPOT_MARKET_EVENTS,
  SPOT_USER_EVENTS,
  unicornfy,
  type UnicornfyEventType,
  type UnicornfyMessage,
  type UnknownEvent,
} from "../../src/unicornfy/mod.ts";
import { readSharedJson } from "../_data.ts";

/** Reads event-specific fields: each `case` must narrow to one interface. */
function summarize(msg: UnicornfyMessage): string {
  switch (msg.eventType) {
    case "trade":
      // @ts-expect-error a trade has no kline: proves `msg` is narrowed, not `any`
      void msg.kline;
      return `${msg.symbol} ${msg.price} ${msg.tradeId}`;
    case "kline":
      return `${msg.symbol} ${msg.kline.closePrice} ${msg.kline.firstTradeId}`;
    case "24hrMiniTicker":
      return msg.data.map((t) => t.totalTradedBaseAssetVolume).join(",");
    case "24hrTicker":
      return msg.data.map((t) => t.lastPrice).join(",");
    case "depth":
      return `${msg.lastUpdateId} ${msg.depthLevel ?? "-"}`;
    case "depthUpdate":
      // @ts-expect-error depthUpdate has no lastUpdateId (that is the spot partial `depth`)
      void msg.lastUpdateId;
      return `${msg.finalUpdateIdInEvent} ${msg.finalUpdateIdInPreviousEvent ?? "-"}`;
    case "bookTicker":
      return msg.bestBidPrice;
    case "markPriceUpdate":
      return msg.data[0].fundingRate;
    case "ORDER_TRADE_UPDATE":
      // futures and options share the name: the futures one has positions, so positionSide
      if ("positionSide" in msg) return `${msg.orderTradeTime} ${msg.positionSide}`;
      // @ts-expect-error the options order update has no stop price
      void msg.orderStopPrice;
      return `${msg.orderTradeTime} ${msg.currentOrderStatus}`;
    case "ACCOUNT_UPDATE":
      // the options account update is flat, with the equity
      if ("equity" in msg) return `${msg.equity} ${msg.walletBalance}`;
      return msg.positions.map((p) => p.positionAmount).join(",");
    case "MARGIN_CALL":
      return msg.positions.map((p) => p.isolatedWallet).join(",");
    case "balanceUpdate":
      return msg.balanceDelta;
    case "listStatus":
      return msg.objects.map((o) => o.clientOrderId).join(",");
    case "result":
      // @ts-expect-error replies carry no streamType
      void msg.streamType;
      return JSON.stringify(msg.result);
    case "error":
      return String(msg.error);
    default:
      return `other ${String(msg.eventType)}`;
  }
}

/** Handles every known name; the default branch only compiles if what is left is `UnknownEvent`. */
function exhaustive(msg: UnicornfyMessage): string {
  switch (msg.eventType) {
    case "aggTrade":
    case "trade":
    case "blockTrade":
    case "kline":
    case "continuous_kline":
    case "indexPrice_kline":
    case "markPrice_kline":
    case "24hrMiniTicker":
    case "24hrTicker":
    case "1hTicker":
    case "4hTicker":
    case "1dTicker":
    case "bookTicker":
    case "depth":
    case "depthUpdate":
    case "avgPrice":
    case "referencePrice":
    case "serverShutdown":
    case "outboundAccountPosition":
    case "outboundAccountInfo":
    case "balanceUpdate":
    case "executionReport":
    case "listStatus":
    case "listenKeyExpired":
    case "eventStreamTerminated":
    case "externalLockUpdate":
    case "markPriceUpdate":
    case "indexPriceUpdate":
    case "forceOrder":
    case "compositeIndex":
    case "contractInfo":
    case "assetIndexUpdate":
    case "ORDER_TRADE_UPDATE":
    case "ACCOUNT_UPDATE":
    case "MARGIN_CALL":
    case "ACCOUNT_CONFIG_UPDATE":
    case "TRADE_LITE":
    case "STRATEGY_UPDATE":
    case "GRID_UPDATE":
    case "CONDITIONAL_ORDER_TRIGGER_REJECT":
    case "ALGO_UPDATE":
    case "ALGO_ORDER_UPDATE":
    case "BALANCE_POSITION_UPDATE":
    case "RISK_LEVEL_CHANGE":
    case "riskLevelChange":
    case "liabilityChange":
    case "openOrderLoss":
      return `known ${msg.eventType} ${msg.streamType}`;
    // European options (market streams)
    case "markPrice":
    case "index":
      return `known ${msg.eventType} ${msg.data[0]?.streamType}`;
    case "result":
    case "error":
      return `reply ${msg.eventType}`;
    default: {
      const rest: UnknownEvent = msg;
      return `unknown ${String(rest.eventType)}`;
    }
  }
}

/** Every known name, checked against the type in both directions. */
const KNOWN = [
  "aggTrade",
  "trade",
  "blockTrade",
  "kline",
  "continuous_kline",
  "indexPrice_kline",
  "markPrice_kline",
  "24hrMiniTicker",
  "24hrTicker",
  "1hTicker",
  "4hTicker",
  "1dTicker",
  "bookTicker",
  "depth",
  "depthUpdate",
  "avgPrice",
  "referencePrice",
  "serverShutdown",
  "outboundAccountPosition",
  "outboundAccountInfo",
  "balanceUpdate",
  "executionReport",
  "listStatus",
  "listenKeyExpired",
  "eventStreamTerminated",
  "externalLockUpdate",
  "markPriceUpdate",
  "indexPriceUpdate",
  "forceOrder",
  "compositeIndex",
  "contractInfo",
  "assetIndexUpdate",
  "ORDER_TRADE_UPDATE",
  "ACCOUNT_UPDATE",
  "MARGIN_CALL",
  "ACCOUNT_CONFIG_UPDATE",
  "TRADE_LITE",
  "STRATEGY_UPDATE",
  "GRID_UPDATE",
  "CONDITIONAL_ORDER_TRIGGER_REJECT",
  "ALGO_UPDATE",
  "ALGO_ORDER_UPDATE",
  "BALANCE_POSITION_UPDATE",
  "RISK_LEVEL_CHANGE",
  "riskLevelChange",
  "liabilityChange",
  "openOrderLoss",
  // European options (market streams)
  "markPrice",
  "index",
] as const satisfies readonly UnicornfyEventType[];
type NotListed = Exclude<UnicornfyEventType, (typeof KNOWN)[number]>;
const allListed: [NotListed] extends [never] ? true : false = true;

describe("unicornfy: types", () => {
  it("the union's event names are exactly the tables' event names", () => {
    assertEquals(allListed, true);
    const tables = [
      ...SPOT_MARKET_EVENTS,
      ...SPOT_USER_EVENTS,
      ...FUTURES_MARKET_EVENTS,
      ...FUTURES_USER_EVENTS,
      ...OPTIONS_USER_EVENTS,
      ...PORTFOLIO_MARGIN_USER_EVENTS,
      ...OPTIONS_MARKET_EVENTS,
    ];
    assertEquals([...new Set(tables.map((s) => s.eventType))].sort(), [...KNOWN].sort());
  });

  it("narrowed readers see the mapped values", () => {
    const v = readSharedJson<{ input: string }>("unicornfy/TestBinanceComWebsocket__test_kline_1m.json");
    assertEquals(
      summarize(unicornfy(v.input, { exchange: "binance.com" })),
      "BTCUSDT 10441.80000000 427033476",
    );
    assertEquals(summarize(unicornfy('{"result":null,"id":1}', { exchange: "binance.com" })), "null");
    assertEquals(exhaustive(unicornfy('{"e":"nope"}', { exchange: "binance.com" })), "unknown nope");
    assertEquals(exhaustive(unicornfy(v.input, { exchange: "binance.com" })), "known kline btcusdt@kline_1m");
  });
});
