/**
 * Futures account state shared by the USDⓈ-M and COIN-M engines, and the contract arithmetic
 * that differs between them: USD-M contracts are linear (notional = price × qty, PnL in the quote
 * asset), COIN-M contracts are inverse (notional = contracts × contract size ÷ price, PnL in the
 * base asset, entry price the harmonic mean of the fills).
 *
 * @module
 */
import { Decimal } from "decimal.js";
import type { Market } from "./market.ts";

/** Position side: `BOTH` in one-way mode, `LONG` / `SHORT` in hedge (dual-side) mode. */
export type PositionSide = "BOTH" | "LONG" | "SHORT";

/** One position of a symbol and side. */
export interface Position {
  readonly symbol: string;
  readonly side: PositionSide;
  /** Signed amount (base qty on USD-M, contracts on COIN-M). */
  amt: Decimal;
  entry: Decimal;
  updateTime: number;
}

/** One `GET /fapi/v1/income` (`/dapi/v1/income`) record. */
export interface IncomeRecord {
  readonly symbol: string;
  readonly incomeType: "REALIZED_PNL" | "TRANSFER" | "FUNDING_FEE";
  readonly income: string;
  readonly asset: string;
  readonly info: string;
  readonly time: number;
  readonly tranId: number;
  readonly tradeId: string;
}

/** A futures account of one venue: wallet balances by margin asset, positions and settings. */
export interface FuturesAccount {
  readonly apiKey: string;
  readonly wallet: Map<string, Decimal>;
  /** Positions keyed by {@linkcode positionKey}. */
  readonly positions: Map<string, Position>;
  /** Leverage by symbol (default {@linkcode DEFAULT_LEVERAGE}). */
  readonly leverage: Map<string, number>;
  /** Margin type by symbol (default CROSSED). */
  readonly marginType: Map<string, "ISOLATED" | "CROSSED">;
  /** Hedge mode (`POST /positionSide/dual`). */
  dualSide: boolean;
  readonly income: IncomeRecord[];
}

/** Leverage of a symbol that was never changed. */
export const DEFAULT_LEVERAGE = 20;

/** Creates an account with initial wallet balances. */
export function newFuturesAccount(
  apiKey: string,
  balances: Readonly<Record<string, string>>,
): FuturesAccount {
  return {
    apiKey,
    wallet: new Map(Object.entries(balances).map(([k, v]) => [k, new Decimal(v)])),
    positions: new Map(),
    leverage: new Map(),
    marginType: new Map(),
    dualSide: false,
    income: [],
  };
}

/** Key of a position: the symbol in one-way mode, `SYMBOL:SIDE` in hedge mode. */
export function positionKey(symbol: string, side: PositionSide): string {
  return side === "BOTH" ? symbol : `${symbol}:${side}`;
}

/** The position of a symbol and side, created flat. */
export function positionOf(acc: FuturesAccount, symbol: string, side: PositionSide): Position {
  const k = positionKey(symbol, side);
  let p = acc.positions.get(k);
  if (!p) {
    acc.positions.set(k, p = { symbol, side, amt: new Decimal(0), entry: new Decimal(0), updateTime: 0 });
  }
  return p;
}

/** `units` × 10^-decimals as a Decimal. */
export function dec(units: number, decimals: number): Decimal {
  return new Decimal(units).div(new Decimal(10).pow(decimals));
}

/**
 * The mark price used for margin, PnL and MARK_PRICE triggers: the one `emu.drive` set, else the
 * middle of the best bid and ask (last price if one side is empty).
 */
export function markPrice(m: Market): Decimal {
  if (m.markOverride !== undefined) return dec(m.markOverride, m.spec.priceDecimals);
  const b = m.bids.best();
  const a = m.asks.best();
  if (b === undefined || a === undefined) return dec(m.lastPrice, m.spec.priceDecimals);
  return dec(b + a, m.spec.priceDecimals).div(2).toDecimalPlaces(m.spec.priceDecimals);
}

/** Notional of `qty` at `price` in the margin asset. */
export function notional(m: Market, price: Decimal, qty: Decimal): Decimal {
  const c = m.spec.contractSize;
  if (c === 0) return price.times(qty);
  return price.isZero() ? new Decimal(0) : qty.times(c).div(price);
}

/** Profit of a signed amount opened at `entry` and valued at `exit`, in the margin asset. */
export function pnl(m: Market, entry: Decimal, exit: Decimal, amt: Decimal): Decimal {
  const c = m.spec.contractSize;
  if (amt.isZero() || entry.isZero()) return new Decimal(0);
  if (c === 0) return exit.minus(entry).times(amt);
  return amt.times(c).times(new Decimal(1).div(entry).minus(new Decimal(1).div(exit)));
}

/** Entry price after adding `qty` at `price` to an open `size` (absolute) at `entry`. */
export function entryAfter(m: Market, size: Decimal, entry: Decimal, qty: Decimal, price: Decimal): Decimal {
  const total = size.plus(qty);
  if (m.spec.contractSize === 0) return entry.times(size).plus(price.times(qty)).div(total);
  // inverse contracts average the entry harmonically
  const weight = (size.isZero() ? new Decimal(0) : size.div(entry)).plus(qty.div(price));
  return total.div(weight);
}
