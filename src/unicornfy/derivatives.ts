/**
 * Field tables of the options (`binance.com-vanilla-options`, its testnet) and portfolio-margin
 * (`binance.com-portfolio_margin`) user data. Python UnicornFy has no tables for either; the
 * names follow the futures tables' style (camelCase, Binance's meaning).
 *
 * Options `ORDER_TRADE_UPDATE` and `ACCOUNT_UPDATE` share their names with the futures events:
 * the order update is the futures one without the conditional and position fields (the same
 * readable names), the account update is flat (equity, balance, margins in USDT). They are the
 * shapes of the options stream on `fstream` (since the 2025 options upgrade); the older `nbstream`
 * shapes (`o` a list of orders, `B` / `G` / `P` arrays) pass through as unknown events.
 *
 * @module
 */
import { event, type EventOptions, type EventSpec, f, FIXED, flat, list } from "./field_table.ts";

const USER = (name: string): EventOptions => ({ streamRule: FIXED, fallbackStream: name });

/** User-data events of the options venues. */
export const OPTIONS_USER_EVENTS: readonly EventSpec[] = [
  event("BALANCE_POSITION_UPDATE", "Options balance and position update (deposit, withdrawal, order)", [
    f("eventTime", "E"),
    f("transactionTime", "T"),
    f("eventReason", "m"),
    list("balances", "B", [
      f("asset", "a"),
      f("balance", "b"),
      f("balanceChange", "bc"),
    ]),
    list("positions", "P", [
      f("symbol", "s"),
      f("positionQuantity", "c"),
      f("positionValue", "p"),
      f("averageEntryPrice", "a"),
    ]),
  ], USER("BALANCE_POSITION_UPDATE")),
  event("ORDER_TRADE_UPDATE", "Options order update (one order object; the older list form passes through)", [
    f("eventTime", "E"),
    f("transactionTime", "T"),
    flat("o", [
      f("symbol", "s"),
      f("clientOrderId", "c"),
      f("side", "S"),
      f("orderType", "o"),
      f("timeInForce", "f"),
      f("orderQuantity", "q"),
      f("orderPrice", "p"),
      f("orderAvgPrice", "ap"),
      f("currentExecutionType", "x"),
      f("currentOrderStatus", "X"),
      f("orderId", "i"),
      f("lastExecutedQuantity", "l"),
      f("cumulativeFilledQuantity", "z"),
      f("lastExecutedPrice", "L"),
      f("commissionAsset", "N"),
      f("commission", "n"),
      f("orderTradeTime", "T"),
      f("tradeId", "t"),
      f("netPay", "b", "open bid notional, the futures name"),
      f("netSellingOrderValue", "a", "open ask notional, the futures name"),
      f("isTradeMakerSide", "m"),
      f("reduceOnly", "R"),
      f("orderPriceType", "ot"),
      f("orderRealizedProfit", "rp"),
      f("selfTradePreventionMode", "V"),
    ]),
  ], { ...USER("ORDER_TRADE_UPDATE"), requires: "o" }),
  event("ACCOUNT_UPDATE", "Options account update (flat, USDT; the older B/G/P form passes through)", [
    f("eventTime", "E"),
    f("transactionTime", "T"),
    f("equity", "eq"),
    f("adjustedEquity", "aeq"),
    f("walletBalance", "b"),
    f("positionValue", "m"),
    f("unrealizedPnl", "u"),
    f("initialMargin", "i"),
    f("maintenanceMargin", "M"),
  ], { ...USER("ACCOUNT_UPDATE"), requires: "eq" }),
  event("RISK_LEVEL_CHANGE", "Options account risk level changed", [
    f("eventTime", "E"),
    f("riskLevel", "s"),
    f("marginBalance", "mb"),
    f("maintenanceMargin", "mm"),
  ], USER("RISK_LEVEL_CHANGE")),
  event(
    "listenKeyExpired",
    "Listen key expired; the key itself is not copied (a secret)",
    [f("eventTime", "E")],
    USER("listenKeyExpired"),
  ),
];

/**
 * Portfolio-margin-only user-data events (the stream also carries the spot-margin and futures
 * user events; futures ones carry `businessUnit`, `fs`: `UM` or `CM`).
 */
export const PORTFOLIO_MARGIN_USER_EVENTS: readonly EventSpec[] = [
  event("riskLevelChange", "Portfolio-margin uniMMR risk level changed", [
    f("eventTime", "E"),
    f("uniMmr", "u"),
    f("riskLevel", "s"),
    f("accountEquity", "eq"),
    f("actualEquity", "ae"),
    f("maintenanceMargin", "m"),
  ], USER("riskLevelChange")),
  event("liabilityChange", "Margin liability changed (borrow, repay, interest)", [
    f("eventTime", "E"),
    f("asset", "a"),
    f("liabilityType", "t"),
    f("transactionId", "T"),
    f("principal", "p"),
    f("interest", "i"),
    f("totalLiability", "l"),
  ], USER("liabilityChange")),
  event("openOrderLoss", "Cross-margin open-order loss per asset", [
    f("eventTime", "E"),
    list("losses", "O", [f("asset", "a"), f("amount", "o")]),
  ], USER("openOrderLoss")),
];
