/**
 * Field tables of the European-options market streams (`binance.com-vanilla-options`, its
 * testnet), Binance's 2026 options streams on the futures host: `optionTrade`, `optionTicker`,
 * `optionMarkPrice`, `!index@arr`, kline, diff and partial depth, bookTicker. Python UnicornFy
 * has no options tables; the readable names follow the spot and futures tables where the raw key
 * means the same. Options user data is another table set.
 *
 * @module
 */
import { event, type EventSpec, f, obj } from "./field_table.ts";
import { BOOK_TICKER_FIELDS, KLINE_BODY_FIELDS, TICKER_FIELDS } from "./spot.ts";

/** Market-data events of European options. */
export const OPTIONS_MARKET_EVENTS: readonly EventSpec[] = [
  event("trade", "Option trade (`<s>@optionTrade`)", [
    f("eventTime", "E"),
    f("tradeTime", "T"),
    f("symbol", "s"),
    f("tradeId", "t"),
    f("price", "p"),
    f("quantity", "q"),
    f("tradeType", "X", "`MARKET` (order book) or `BLOCK` (block trade)"),
    f("side", "S", "the taker's side"),
    f("isMarketMaker", "m"),
  ]),
  event("24hrTicker", "24 h ticker (`<s>@optionTicker`), items in `data`", TICKER_FIELDS, {
    wrap: true,
    fallbackStream: "optionTicker",
  }),
  event(
    "markPrice",
    "Mark prices of an underlying's options (`<underlying>@optionMarkPrice`), items in `data`",
    [
      f("eventTime", "E"),
      f("symbol", "s"),
      f("markPrice", "mp"),
      f("indexPrice", "i"),
      f("estimatedSettlePrice", "P", "only meaningful in the half hour before settlement"),
      f("bestBidPrice", "bo"),
      f("bestAskPrice", "ao"),
      f("bestBidQuantity", "bq"),
      f("bestAskQuantity", "aq"),
      f("bidImpliedVolatility", "b"),
      f("askImpliedVolatility", "a"),
      f("markImpliedVolatility", "vo"),
      f("highPriceLimit", "hl"),
      f("lowPriceLimit", "ll"),
      f("riskFreeRate", "rf"),
      f("delta", "d"),
      f("theta", "t"),
      f("gamma", "g"),
      f("vega", "v"),
    ],
    { wrap: true, fallbackStream: "optionMarkPrice" },
  ),
  event("index", "Index prices of the underlyings (`!index@arr`), items in `data`", [
    f("eventTime", "E"),
    f("underlying", "s"),
    f("indexPrice", "p"),
  ], { wrap: true, fallbackStream: "!index@arr" }),
  event("kline", "Kline (`<s>@kline_<interval>`)", [
    f("eventTime", "E"),
    obj("kline", "k", [
      f("klineStartTime", "t"),
      f("klineCloseTime", "T"),
      ...KLINE_BODY_FIELDS,
      f("symbol", "s"),
    ]),
    f("symbol", "s"),
  ]),
  event("depthUpdate", "Diff and partial depth (`<s>@depth[5|10|20]@100ms|@500ms`)", [
    f("eventTime", "E"),
    f("transactionTime", "T"),
    f("symbol", "s"),
    f("firstUpdateIdInEvent", "U"),
    f("finalUpdateIdInEvent", "u"),
    f("finalUpdateIdInPreviousEvent", "pu"),
    f("asks", "a"),
    f("bids", "b"),
  ], { depthLevel: true }),
  event("bookTicker", "Best bid/ask (`<s>@bookTicker`)", BOOK_TICKER_FIELDS),
];
