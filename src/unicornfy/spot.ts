/**
 * Field tables of the spot-family venues (binance.com spot, margin, isolated margin, their testnets,
 * binance.us, trbinance.com). They follow Python UnicornFy 0.17.2's spot tables with camelCase keys;
 * every deliberate difference carries a `note` that the generated docs show.
 *
 * @module
 */
import {
  event,
  type EventOptions,
  type EventSpec,
  f,
  FIXED,
  list,
  obj,
  SYMBOL_SUFFIX,
} from "./field_table.ts";

const USER: EventOptions = { streamRule: FIXED, fallbackStream: "!userData@arr" };

/** Spot aggTrade fields (also read by {@link SPOT_MARKET_EVENTS}). */
const AGG_TRADE = [
  f("eventTime", "E"),
  f("symbol", "s"),
  f("aggregateTradeId", "a"),
  f("price", "p"),
  f("quantity", "q"),
  f("firstTradeId", "f"),
  f("lastTradeId", "l"),
  f("tradeTime", "T"),
  f("isMarketMaker", "m"),
  f("ignore", "M"),
];

/** Trade fields, shared with futures `trade` (Python drops futures trades). */
export const TRADE_FIELDS: EventSpec["fields"] = [
  f("eventTime", "E"),
  f("symbol", "s"),
  f("tradeId", "t"),
  f("price", "p"),
  f("quantity", "q"),
  f("buyerOrderId", "b", "only in pre-2024-06-18 payloads; Python crashes without it"),
  f("sellerOrderId", "a", "only in pre-2024-06-18 payloads; Python crashes without it"),
  f("tradeTime", "T"),
  f("isMarketMaker", "m"),
  f("ignore", "M"),
];

/** 24hrMiniTicker item fields (spot and futures: the same readable names). */
export const MINI_TICKER_FIELDS: EventSpec["fields"] = [
  f("eventTime", "E"),
  f("symbol", "s"),
  f("closePrice", "c"),
  f("openPrice", "o"),
  f("highPrice", "h"),
  f("lowPrice", "l"),
  f("totalTradedBaseAssetVolume", "v", "Python spot: `taker_by_base_asset_volume` (wrong: total volume)"),
  f("totalTradedQuoteAssetVolume", "q", "Python spot: `taker_by_quote_asset_volume` (wrong: total volume)"),
  f("pair", "ps"),
];

/** 24hrTicker and rolling-window ticker item fields (futures lack x, b, B, a, A). */
export const TICKER_FIELDS: EventSpec["fields"] = [
  f("eventTime", "E"),
  f("symbol", "s"),
  f("priceChange", "p"),
  f("priceChangePercent", "P"),
  f("weightedAveragePrice", "w"),
  f("tradeBefore24hWindow", "x"),
  f("lastPrice", "c"),
  f("lastQuantity", "Q"),
  f("bestBidPrice", "b"),
  f("bestBidQuantity", "B"),
  f("bestAskPrice", "a"),
  f("bestAskQuantity", "A"),
  f("openPrice", "o"),
  f("highPrice", "h"),
  f("lowPrice", "l"),
  f("totalTradedBaseAssetVolume", "v"),
  f("totalTradedQuoteAssetVolume", "q"),
  f("statisticsOpenTime", "O"),
  f("statisticsCloseTime", "C"),
  f("firstTradeId", "F"),
  f("lastTradeId", "L"),
  f("totalNrOfTrades", "n"),
  f("pair", "ps"),
];

/** bookTicker fields (spot frames carry neither `e` nor `E`; futures add E, T, ps). */
export const BOOK_TICKER_FIELDS: EventSpec["fields"] = [
  f("orderBookUpdateId", "u"),
  f("symbol", "s"),
  f("bestBidPrice", "b"),
  f("bestBidQuantity", "B"),
  f("bestAskPrice", "a"),
  f("bestAskQuantity", "A"),
  f("eventTime", "E", "futures only; Python drops it"),
  f("transactionTime", "T", "futures only; Python drops it"),
  f("pair", "ps"),
];

/** The `k` fields from `i` to `Q` that spot and futures klines share (in this order). */
export const KLINE_BODY_FIELDS: EventSpec["fields"] = [
  f("interval", "i"),
  f("firstTradeId", "f", "Python reads the top-level `f`: always `false`"),
  f("lastTradeId", "L", "Python reads the top-level `L`: always `false`"),
  f("openPrice", "o"),
  f("closePrice", "c"),
  f("highPrice", "h"),
  f("lowPrice", "l"),
  f("baseVolume", "v"),
  f("numberOfTrades", "n"),
  f("isClosed", "x"),
  f("quote", "q"),
  f("takerByBaseAssetVolume", "V"),
  f("takerByQuoteAssetVolume", "Q"),
];

const KLINE = [
  f("eventTime", "E"),
  f("symbol", "s"),
  obj("kline", "k", [
    f("klineStartTime", "t"),
    f("klineCloseTime", "T"),
    f("symbol", "s"),
    ...KLINE_BODY_FIELDS,
    f("ignore", "B"),
  ]),
];

/** Market-data events of the spot family. */
export const SPOT_MARKET_EVENTS: readonly EventSpec[] = [
  event("aggTrade", "Aggregate trade (`<s>@aggTrade`)", AGG_TRADE),
  event("trade", "Trade (`<s>@trade`)", TRADE_FIELDS),
  event("blockTrade", "Block trade (`<s>@blockTrade`, since 2026-05)", [
    f("eventTime", "E"),
    f("symbol", "s"),
    f("tradeId", "t"),
    f("price", "p"),
    f("quantity", "q"),
    f("tradeTime", "T"),
    f("isMarketMaker", "m"),
  ]),
  event("kline", "Kline (`<s>@kline_<interval>`)", KLINE),
  event(
    "24hrMiniTicker",
    "Mini ticker (`<s>@miniTicker`, `!miniTicker@arr`), items in `data`",
    MINI_TICKER_FIELDS,
    {
      wrap: true,
      fallbackStream: "!miniTicker@arr",
    },
  ),
  event("24hrTicker", "24 h ticker (`<s>@ticker`, `!ticker@arr`), items in `data`", TICKER_FIELDS, {
    wrap: true,
    fallbackStream: "!ticker@arr",
  }),
  event(
    "1hTicker",
    "Rolling-window ticker 1 h (`<s>@ticker_1h`, `!ticker_1h@arr`), items in `data`",
    TICKER_FIELDS,
    {
      wrap: true,
      fallbackStream: "!ticker_1h@arr",
    },
  ),
  event("4hTicker", "Rolling-window ticker 4 h, items in `data`", TICKER_FIELDS, {
    wrap: true,
    fallbackStream: "!ticker_4h@arr",
  }),
  event("1dTicker", "Rolling-window ticker 1 d, items in `data`", TICKER_FIELDS, {
    wrap: true,
    fallbackStream: "!ticker_1d@arr",
  }),
  event("bookTicker", "Best bid/ask (`<s>@bookTicker`; spot frames have no `e`)", BOOK_TICKER_FIELDS),
  event(
    "depth",
    "Partial book (`<s>@depth5|10|20[@100ms]`; no `e` on spot). `symbol` and `depthLevel` come from the stream name",
    [
      f("lastUpdateId", "lastUpdateId"),
      f("bids", "bids"),
      f("asks", "asks"),
    ],
  ),
  event("depthUpdate", "Diff depth (`<s>@depth[@100ms]`)", [
    f("eventTime", "E"),
    f("symbol", "s"),
    f("firstUpdateIdInEvent", "U"),
    f("finalUpdateIdInEvent", "u"),
    f("bids", "b"),
    f("asks", "a"),
  ]),
  event("avgPrice", "Average price (`<s>@avgPrice`; Python loses it)", [
    f("eventTime", "E"),
    f("symbol", "s"),
    f("interval", "i"),
    f("averagePrice", "w"),
    f("lastTradeTime", "T"),
  ]),
  event("referencePrice", "Reference price (`<s>@referencePrice`, since 2026-03)", [
    f("symbol", "s"),
    f("referencePrice", "r"),
    f("engineTime", "t"),
  ]),
  event("serverShutdown", "Server shutdown notice (since 2026-05)", [f("eventTime", "E")]),
];

const BALANCES = list("balances", "B", [f("asset", "a"), f("free", "f"), f("locked", "l")]);

/** User-data events of the spot family (WS-API `{subscriptionId, event}` envelope or raw). */
export const SPOT_USER_EVENTS: readonly EventSpec[] = [
  event("outboundAccountPosition", "Account balances changed", [
    f("eventTime", "E"),
    f("lastUpdateTime", "u"),
    BALANCES,
  ], USER),
  event("outboundAccountInfo", "Legacy account info (pre-2021)", [
    f("eventTime", "E"),
    f("makerCommissionRate", "m"),
    f("takerCommissionRate", "t"),
    f("buyerCommissionRate", "b"),
    f("sellerCommissionRate", "s"),
    f("canTrade", "T"),
    f("canWithdraw", "W"),
    f("canDeposit", "D"),
    BALANCES,
    f("accountPermissions", "P"),
  ], USER),
  event("balanceUpdate", "Deposit, withdrawal or transfer", [
    f("eventTime", "E"),
    f("asset", "a"),
    f("balanceDelta", "d"),
    f("clearTime", "T"),
  ], USER),
  event("executionReport", "Order update", [
    f("eventTime", "E"),
    f("symbol", "s"),
    f("clientOrderId", "c"),
    f("side", "S"),
    f("orderType", "o"),
    f("timeInForce", "f"),
    f("orderQuantity", "q"),
    f("orderPrice", "p"),
    f("stopPrice", "P"),
    f("icebergQuantity", "F"),
    f("orderListId", "g", "Python: `ignore_g` (it is the order list id)"),
    f("originalClientOrderId", "C"),
    f("currentExecutionType", "x"),
    f("currentOrderStatus", "X"),
    f("orderRejectReason", "r"),
    f("orderId", "i"),
    f("lastExecutedQuantity", "l"),
    f("cumulativeFilledQuantity", "z"),
    f("lastExecutedPrice", "L"),
    f("commissionAmount", "n"),
    f("commissionAsset", "N"),
    f("transactionTime", "T"),
    f("tradeId", "t"),
    f("executionId", "I", "Python: `ignore_I` (it is the execution id)"),
    f("isOrderWorking", "w"),
    f("isTradeMakerSide", "m"),
    f("ignoreM", "M"),
    f("orderCreationTime", "O"),
    f("cumulativeQuoteAssetTransactedQuantity", "Z"),
    f("lastQuoteAssetTransactedQuantity", "Y"),
    f("quoteOrderQuantity", "Q", "Python drops it"),
    f("workingTime", "W", "Python drops it"),
    f("selfTradePreventionMode", "V", "Python drops it"),
    f("preventedMatchId", "v", "Python drops it"),
    f("preventedQuantity", "A", "Python drops it"),
    f("lastPreventedQuantity", "B", "Python drops it"),
    f("tradeGroupId", "u", "Python drops it"),
    f("counterOrderId", "U", "Python drops it"),
    f("counterSymbol", "Cs", "Python drops it"),
    f("preventedExecutionQuantity", "pl", "Python drops it"),
    f("preventedExecutionPrice", "pL", "Python drops it"),
    f("preventedExecutionQuoteQuantity", "pY", "Python drops it"),
    f("trailingDelta", "d", "Python drops it"),
    f("trailingTime", "D", "Python drops it"),
    f("strategyId", "j", "Python drops it"),
    f("strategyType", "J", "Python drops it"),
    f("matchType", "b", "Python drops it"),
    f("allocationId", "a", "Python drops it"),
    f("workingFloor", "k", "Python drops it"),
    f("usedSor", "uS", "Python drops it"),
    f("expiryReason", "eR", "since 2026-03-26; Python drops it"),
    f("pegPriceType", "gP", "Python drops it"),
    f("pegOffsetType", "gOO", "Python drops it"),
    f("pegOffsetValue", "gOV", "Python drops it"),
    f("peggedPrice", "gp", "Python drops it"),
  ], USER),
  event("listStatus", "Order list (OCO/OTO…) update; `streamType` is `<symbol>@listStatus` as in Python", [
    f("eventTime", "E"),
    f("symbol", "s"),
    f("orderListId", "g"),
    f("contingencyType", "c"),
    f("listStatusType", "l"),
    f("listOrderStatus", "L"),
    f("listRejectReason", "r"),
    f("listClientOrderId", "C"),
    f("transactionTime", "T"),
    list("objects", "O", [f("symbol", "s"), f("orderId", "i"), f("clientOrderId", "c")]),
  ], { streamRule: SYMBOL_SUFFIX, fallbackStream: "@listStatus" }),
  event(
    "listenKeyExpired",
    "Listen key expired (binance.us, trbinance.com); the key itself is not copied (a secret)",
    [f("eventTime", "E")],
    USER,
  ),
  event("eventStreamTerminated", "WS-API user-data subscription ended", [f("eventTime", "E")], USER),
  event("externalLockUpdate", "Part of a balance locked/unlocked externally", [
    f("eventTime", "E"),
    f("asset", "a"),
    f("balanceDelta", "d"),
    f("transactionTime", "T"),
  ], USER),
];
