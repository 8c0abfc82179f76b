/**
 * `MARGIN_CALL` of the futures user data, one implementation for USDⓈ-M and COIN-M: Binance pushes
 * it "when the user's position risk ratio is too high". The emulator's reading (Binance names no
 * threshold): per margin asset, the margin ratio is the maintenance margin of the open positions
 * (notional at the mark × {@linkcode MAINT_MARGIN_RATE}, exchangeInfo's `maintMarginPercent`)
 * over the margin balance (wallet + unrealised PnL); an account is called once when the ratio
 * rises to the threshold and again only after it fell below it. Liquidation is not simulated, so
 * a ratio above 100 % stays as it is.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { type FuturesAccount, markPrice, notional, pnl } from "./futures_account.ts";
import type { Market } from "./market.ts";
import type { Json } from "./payloads.ts";

/** Maintenance margin rate of every emulated futures contract (exchangeInfo: `maintMarginPercent` 2.5). */
export const MAINT_MARGIN_RATE: Decimal = new Decimal("0.025");

/** One open position valued at the mark price. */
export interface MarkedPosition {
  readonly symbol: string;
  readonly side: string;
  /** Signed amount as printed (`pa`). */
  readonly amount: string;
  readonly marginType: "CROSSED" | "ISOLATED";
  readonly mark: Decimal;
  readonly upnl: Decimal;
  /** Maintenance margin required. */
  readonly maint: Decimal;
}

/**
 * Margin ratio of one margin asset: maintenance margin ÷ margin balance. 0 without positions;
 * `Infinity` when positions are open and the margin balance is zero or negative.
 *
 * @example
 * ```ts
 * import { Decimal } from "decimal.js";
 * import { marginRatio } from "./futures_margin_call.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const pos = { symbol: "BTCUSDT", side: "BOTH", amount: "1", marginType: "CROSSED" as const,
 *   mark: new Decimal(60000), upnl: new Decimal(-1000), maint: new Decimal(1500) };
 * assertEquals(marginRatio(new Decimal(3000), [pos]).toString(), "0.75"); // 1500 / (3000 - 1000)
 * assertEquals(marginRatio(new Decimal(1000), [pos]).toString(), "Infinity");
 * assertEquals(marginRatio(new Decimal(1000), []).toString(), "0");
 * ```
 */
export function marginRatio(wallet: Decimal, positions: readonly MarkedPosition[]): Decimal {
  let maint = new Decimal(0);
  let balance = wallet;
  for (const p of positions) {
    maint = maint.plus(p.maint);
    balance = balance.plus(p.upnl);
  }
  if (maint.isZero()) return new Decimal(0);
  return balance.lte(0) ? new Decimal(Infinity) : maint.div(balance);
}

/** Binance's `MARGIN_CALL` body; `alias` (`i`) is COIN-M's account alias. */
export function marginCallEvent(
  E: number,
  wallet: Decimal,
  positions: readonly MarkedPosition[],
  alias?: string,
): Json {
  const body: Record<string, Json> = { e: "MARGIN_CALL", E };
  if (alias !== undefined) body.i = alias;
  // Binance: the cross wallet balance is only pushed with a crossed position's margin call
  if (positions.some((p) => p.marginType === "CROSSED")) body.cw = wallet.toFixed(8);
  body.p = positions.map((p) => ({
    s: p.symbol,
    ps: p.side,
    pa: p.amount,
    mt: p.marginType,
    iw: "0",
    mp: p.mark.toFixed(8),
    up: p.upnl.toFixed(8),
    mm: p.maint.toFixed(8),
  }));
  return body;
}

/** The open positions of an account in one margin asset, valued at the mark. */
export function markedPositions(
  acc: FuturesAccount,
  asset: string,
  find: (symbol: string) => Market | undefined,
): MarkedPosition[] {
  const out: MarkedPosition[] = [];
  for (const p of acc.positions.values()) {
    const m = find(p.symbol);
    if (!m || m.spec.marginAsset !== asset || p.amt.isZero()) continue;
    const mark = markPrice(m);
    out.push({
      symbol: p.symbol,
      side: p.side,
      amount: p.amt.toFixed(m.spec.qtyDecimals),
      marginType: acc.marginType.get(p.symbol) === "ISOLATED" ? "ISOLATED" : "CROSSED",
      mark,
      upnl: pnl(m, p.entry, mark, p.amt),
      maint: notional(m, mark, p.amt.abs()).times(MAINT_MARGIN_RATE),
    });
  }
  return out;
}

/** Tracks which accounts are called, per margin asset, and emits `MARGIN_CALL` on each crossing. */
export class MarginCallWatch {
  readonly #threshold: Decimal;
  readonly #called: Set<string> = new Set();

  /** @param percent the margin ratio (in %) at which an account is called */
  constructor(percent: number) {
    this.#threshold = new Decimal(percent).div(100);
  }

  /**
   * Checks every account holding positions in `asset` and returns the events to emit: one per
   * account whose ratio reached the threshold since the last check that found it below.
   */
  check(
    accounts: Iterable<FuturesAccount>,
    asset: string,
    find: (symbol: string) => Market | undefined,
    E: number,
    alias?: string,
  ): Array<{ apiKey: string; event: Json }> {
    const out: Array<{ apiKey: string; event: Json }> = [];
    for (const acc of accounts) {
      const key = `${acc.apiKey}\u0000${asset}`;
      const positions = markedPositions(acc, asset, find);
      const wallet = acc.wallet.get(asset) ?? new Decimal(0);
      if (positions.length === 0 || marginRatio(wallet, positions).lt(this.#threshold)) {
        this.#called.delete(key);
        continue;
      }
      if (this.#called.has(key)) continue;
      this.#called.add(key);
      out.push({ apiKey: acc.apiKey, event: marginCallEvent(E, wallet, positions, alias) });
    }
    return out;
  }
}
