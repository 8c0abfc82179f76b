/**
 * Futures account reads and settings shared by USDⓈ-M and COIN-M: balance, account,
 * positionRisk, income, leverage, marginType and position mode, in each venue's wire shape.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { ApiError, badSymbol, intParam, missingParam } from "./api_error.ts";
import { markPrice, notional, pnl, type Position, positionKey } from "./futures_account.ts";
import type { FuturesEngine } from "./futures_engine.ts";
import type { Json } from "./payloads.ts";

type Params = URLSearchParams;

const ACK: Json = { code: 200, msg: "success" };

/** `GET /fapi/v2|v3/balance` and `GET /dapi/v1/balance` body. */
export function balancesJson(e: FuturesEngine, apiKey: string, now: number): Json {
  const acc = e.account(apiKey);
  return [...acc.wallet].map(([asset, wb]) => {
    const { used, upnl } = e.usage(acc, asset);
    const avail = wb.plus(upnl).minus(used);
    const common = {
      accountAlias: "emu",
      asset,
      balance: wb.toFixed(8),
      crossWalletBalance: wb.toFixed(8),
      crossUnPnl: upnl.toFixed(8),
      availableBalance: avail.toFixed(8),
    };
    return e.venue === "usdm"
      ? { ...common, maxWithdrawAmount: wb.minus(used).toFixed(8), marginAvailable: true, updateTime: now }
      : { ...common, withdrawAvailable: Decimal.max(0, wb.minus(used)).toFixed(8), updateTime: now };
  });
}

/** Positions to list: every symbol of the venue for each side of the account's mode, filtered. */
function listed(e: FuturesEngine, apiKey: string, symbols: readonly string[], keep: (s: string) => boolean) {
  const acc = e.account(apiKey);
  const sides = acc.dualSide ? (["LONG", "SHORT"] as const) : (["BOTH"] as const);
  const out: Position[] = [];
  for (const s of symbols) {
    if (!keep(s)) continue;
    for (const side of sides) {
      out.push(
        acc.positions.get(positionKey(s, side)) ??
          { symbol: s, side, amt: new Decimal(0), entry: new Decimal(0), updateTime: 0 },
      );
    }
  }
  return out;
}

/**
 * `GET /fapi/v2|v3/positionRisk` (`symbol`) and `GET /dapi/v1/positionRisk` (`pair`,
 * `marginAsset`) body.
 *
 * @throws {ApiError} -1121 for an unknown symbol
 */
export function positionRiskJson(e: FuturesEngine, apiKey: string, p: Params): Json {
  const symbols = e.symbols();
  const sym = p.get("symbol");
  if (sym !== null && !e.market(sym)) throw badSymbol();
  const pair = p.get("pair");
  const marginAsset = p.get("marginAsset");
  const acc = e.account(apiKey);
  return listed(e, apiKey, symbols, (s) => {
    const m = e.market(s)!;
    return (sym === null || s === sym) && (pair === null || m.spec.pair === pair) &&
      (marginAsset === null || m.spec.marginAsset === marginAsset);
  }).map((pos) => {
    const m = e.market(pos.symbol)!;
    const mark = markPrice(m);
    const lev = e.leverageOf(acc, pos.symbol);
    const isolated = acc.marginType.get(pos.symbol) === "ISOLATED";
    const value = notional(m, mark, pos.amt.abs());
    const base = {
      symbol: pos.symbol,
      positionAmt: pos.amt.toFixed(m.spec.qtyDecimals),
      entryPrice: pos.entry.toFixed(8),
      breakEvenPrice: pos.entry.toFixed(8),
      markPrice: mark.toFixed(8),
      unRealizedProfit: pnl(m, pos.entry, mark, pos.amt).toFixed(8),
      // liquidation is not simulated
      liquidationPrice: "0",
      leverage: String(lev),
      marginType: isolated ? "isolated" : "cross",
      isolatedMargin: "0.00000000",
      isAutoAddMargin: "false",
      positionSide: pos.side,
      isolatedWallet: "0",
      updateTime: pos.updateTime,
    };
    return e.venue === "usdm"
      ? {
        ...base,
        maxNotionalValue: String(Math.round(2_000_000_000 / lev)),
        notional: (pos.amt.isNegative() ? value.neg() : value).toFixed(8),
      }
      : { ...base, maxQty: String(Math.round(50_000_000 / lev)), notionalValue: value.toFixed(8) };
  });
}

/** `GET /fapi/v2|v3/account` and `GET /dapi/v1/account` body (the fields clients read). */
export function accountJson(e: FuturesEngine, apiKey: string, now: number): Json {
  const assets = balancesJson(e, apiKey, now) as Array<Record<string, string>>;
  const positions = (positionRiskJson(e, apiKey, new URLSearchParams()) as Array<Record<string, Json>>)
    .map((p) => ({
      symbol: p.symbol,
      positionAmt: p.positionAmt,
      entryPrice: p.entryPrice,
      unrealizedProfit: p.unRealizedProfit,
      leverage: p.leverage,
      positionSide: p.positionSide,
      isolated: p.marginType === "isolated",
      updateTime: p.updateTime,
    }));
  const sum = (f: string) => assets.reduce((s, a) => s.plus(a[f]), new Decimal(0)).toFixed(8);
  const body: Record<string, Json> = {
    feeTier: 0,
    canTrade: true,
    canDeposit: true,
    canWithdraw: true,
    updateTime: now,
  };
  if (e.venue === "usdm") {
    Object.assign(body, {
      multiAssetsMargin: false,
      totalWalletBalance: sum("balance"),
      totalUnrealizedProfit: sum("crossUnPnl"),
      availableBalance: sum("availableBalance"),
    });
  }
  body.assets = assets.map((a) => ({
    asset: a.asset,
    walletBalance: a.balance,
    unrealizedProfit: a.crossUnPnl,
    marginBalance: new Decimal(a.balance).plus(a.crossUnPnl).toFixed(8),
    crossWalletBalance: a.crossWalletBalance,
    availableBalance: a.availableBalance,
    maxWithdrawAmount: a.maxWithdrawAmount ?? a.withdrawAvailable,
  }));
  body.positions = positions;
  return body;
}

/**
 * `GET /fapi/v1/income` / `GET /dapi/v1/income`: `symbol`, `incomeType`, `startTime`, `endTime`,
 * `limit` (default 100, max 1000), oldest first.
 */
export function incomeJson(e: FuturesEngine, apiKey: string, p: Params): Json {
  const sym = p.get("symbol");
  const type = p.get("incomeType");
  const start = intParam(p, "startTime");
  const end = intParam(p, "endTime");
  const limit = Math.min(intParam(p, "limit") ?? 100, 1000);
  return e.account(apiKey).income.filter((r) =>
    (sym === null || r.symbol === sym) && (type === null || r.incomeType === type) &&
    (start === undefined || r.time >= start) && (end === undefined || r.time <= end)
  ).slice(0, limit).map((r) => ({ ...r }));
}

/**
 * `POST /leverage`: `symbol`, `leverage` 1…125.
 *
 * @throws {ApiError} -1121 unknown symbol, -4028 leverage out of range, -2027 when open positions
 * would exceed the margin at the new leverage
 */
export function changeLeverage(e: FuturesEngine, apiKey: string, p: Params): Json {
  const sym = p.get("symbol");
  if (!sym) throw missingParam("symbol");
  const m = e.market(sym);
  if (!m) throw badSymbol();
  const raw = p.get("leverage");
  const lev = Number(raw);
  if (raw === null || raw === "") {
    throw new ApiError(-1102, "Mandatory parameter 'leverage' was not sent, was empty/null, or malformed.");
  }
  if (!Number.isInteger(lev) || lev < 1 || lev > 125) {
    throw new ApiError(-4028, `Leverage ${raw} is not valid`);
  }
  const acc = e.account(apiKey);
  const before = acc.leverage.get(sym);
  acc.leverage.set(sym, lev);
  const { used, upnl } = e.usage(acc, m.spec.marginAsset);
  if ((acc.wallet.get(m.spec.marginAsset) ?? new Decimal(0)).plus(upnl).lt(used)) {
    if (before === undefined) acc.leverage.delete(sym);
    else acc.leverage.set(sym, before);
    throw new ApiError(-2027, "Exceeded the maximum allowable position at current leverage.");
  }
  return e.venue === "usdm"
    ? { leverage: lev, maxNotionalValue: String(Math.round(2_000_000_000 / lev)), symbol: sym }
    : { leverage: lev, maxQty: String(Math.round(50_000_000 / lev)), symbol: sym };
}

function hasOpen(e: FuturesEngine, apiKey: string, symbol?: string): { orders: boolean; positions: boolean } {
  const acc = e.account(apiKey);
  return {
    orders: e.open(apiKey, symbol).length > 0,
    positions: [...acc.positions.values()].some((x) =>
      (symbol === undefined || x.symbol === symbol) && !x.amt.isZero()
    ),
  };
}

/**
 * `POST /marginType`: `symbol`, `marginType` ISOLATED | CROSSED.
 *
 * @throws {ApiError} -1121, -4046 (unchanged), -4047 (open orders), -4048 (position)
 */
export function changeMarginType(e: FuturesEngine, apiKey: string, p: Params): Json {
  const sym = p.get("symbol");
  if (!sym) throw missingParam("symbol");
  if (!e.market(sym)) throw badSymbol();
  const t = (p.get("marginType") ?? "").toUpperCase();
  if (t !== "ISOLATED" && t !== "CROSSED") throw new ApiError(-4044, "The margin type is invalid.");
  const acc = e.account(apiKey);
  if ((acc.marginType.get(sym) ?? "CROSSED") === t) {
    throw new ApiError(-4046, "No need to change margin type.");
  }
  const open = hasOpen(e, apiKey, sym);
  if (open.orders) throw new ApiError(-4047, "Margin type cannot be changed if there exists open orders.");
  if (open.positions) throw new ApiError(-4048, "Margin type cannot be changed if there exists position.");
  acc.marginType.set(sym, t);
  return ACK;
}

/**
 * `POST /positionSide/dual`: `dualSidePosition` "true" | "false".
 *
 * @throws {ApiError} -1102 missing, -4059 unchanged, -4067 open orders, -4068 open positions
 */
export function changePositionMode(e: FuturesEngine, apiKey: string, p: Params): Json {
  const raw = (p.get("dualSidePosition") ?? "").toLowerCase();
  if (raw !== "true" && raw !== "false") {
    throw new ApiError(
      -1102,
      "Mandatory parameter 'dualSidePosition' was not sent, was empty/null, or malformed.",
    );
  }
  const acc = e.account(apiKey);
  const dual = raw === "true";
  if (acc.dualSide === dual) throw new ApiError(-4059, "No need to change position side.");
  const open = hasOpen(e, apiKey);
  if (open.orders) throw new ApiError(-4067, "Position side cannot be changed if there exists open orders.");
  if (open.positions) throw new ApiError(-4068, "Position side cannot be changed if there exists position.");
  acc.dualSide = dual;
  return ACK;
}

/** `GET /positionSide/dual`. */
export function positionMode(e: FuturesEngine, apiKey: string): Json {
  return { dualSidePosition: e.account(apiKey).dualSide };
}
