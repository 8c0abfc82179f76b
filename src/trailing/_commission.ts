/**
 * The account's real commission for the engine's stop (Python hard-coded 0.1 %, T12).
 *
 * - Spot, cross and isolated margin: `GET /api/v3/account/commission` (margin trades at the spot
 *   rates of the symbol). Binance charges three parts on every fill — `standardCommission`,
 *   `specialCommission` and `taxCommission` — each its `maker` or `taker` rate (by the fill's
 *   liquidity) plus its `buyer` or `seller` rate (by the side); the effective rate is the sum. It
 *   is charged in the asset the fill gives: the base asset on a BUY, the quote asset on a SELL. A
 *   BNB discount (only of the standard part, and only while enough BNB is held) is ignored: the
 *   rate is the undiscounted upper bound.
 * - USDⓈ-M `GET /fapi/v1/commissionRate`, COIN-M `GET /dapi/v1/commissionRate`
 *   (`makerCommissionRate`, `takerCommissionRate`): charged from the margin balance, never from
 *   the position, so a reduce-only stop closes the whole position.
 *
 * Liquidity of a stop: a MARKET stop (STOP_LOSS, STOP_MARKET, TRAILING_STOP_MARKET) takes. A
 * LIMIT stop becomes a limit order at its trigger: the part that crosses the book at once takes,
 * a part that rests on the book makes, so the higher of the two rates is used.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { roundToStep } from "../core/decimal.ts";
import type { BinanceRestClient } from "../rest/client.ts";
import type { VenueKind } from "./_venue.ts";

/** The commission of the engine's stop on one symbol. */
export interface StopCommission {
  /** The fraction of a fill Binance charges (`"0.001"` = 0.1 %), plain decimal. */
  readonly rate: string;
  /** The liquidity whose rate was used (`taker` for market stops; the higher one for limit stops). */
  readonly liquidity: "maker" | "taker";
  /** Where it is charged: `base` (a spot/margin BUY), `quote` (a spot/margin SELL), `margin` (futures wallet). */
  readonly chargedIn: "base" | "quote" | "margin";
  /**
   * The fraction of the traded base quantity the commission takes: `rate` when it is charged in
   * the base asset (a spot/margin BUY receives `qty × (1 − baseRate)`), else `"0"`. A SELL stop
   * sized from the free balance reserves nothing (it pays in the quote asset, futures from the
   * margin balance); a stop sized from what a BUY bought (jump-in) passes the BUY's `baseRate` as
   * `stopQuantity({ commissionRate })`; a BUY stop covering a short buys {@link coverQuantity}.
   */
  readonly baseRate: string;
}

/** What the stop is. */
export interface StopKind {
  /** The stop's side. */
  readonly side: "BUY" | "SELL";
  /** `LIMIT` (STOP_LOSS_LIMIT / STOP) or `MARKET` (STOP_LOSS / STOP_MARKET / trailing). */
  readonly orderType: "LIMIT" | "MARKET";
}

const PLAIN = /^(?:\d+\.?\d*|\.\d+)$/;

function checkStop(stop: Partial<StopKind>, needSide: boolean): void {
  if (typeof stop !== "object" || stop === null) {
    throw new TypeError("Invalid stop: expected { side, orderType }");
  }
  for (const k of Object.keys(stop)) {
    if (k !== "side" && k !== "orderType") {
      throw new TypeError(`Invalid stop: unknown key ${JSON.stringify(k)}`);
    }
  }
  if (needSide && stop.side !== "BUY" && stop.side !== "SELL") {
    throw new TypeError(`Invalid stop.side: expected BUY or SELL, got ${JSON.stringify(stop.side)}`);
  }
  if (stop.orderType !== "LIMIT" && stop.orderType !== "MARKET") {
    throw new TypeError(
      `Invalid stop.orderType: expected LIMIT or MARKET, got ${JSON.stringify(stop.orderType)}`,
    );
  }
}

function rateOf(v: unknown, field: string): Decimal {
  if (v === undefined || v === null) return new Decimal(0);
  const s = typeof v === "number" ? String(v) : v;
  if (typeof s !== "string" || !PLAIN.test(s)) {
    throw new TypeError(
      `Invalid commission ${field}: expected a plain decimal string, got ${JSON.stringify(v)}`,
    );
  }
  const d = new Decimal(s);
  if (d.gte(1)) throw new RangeError(`Invalid commission ${field}: expected a fraction below 1, got ${s}`);
  return d;
}

function pick(maker: Decimal, taker: Decimal, orderType: "LIMIT" | "MARKET"): [Decimal, "maker" | "taker"] {
  if (orderType === "MARKET") return [taker, "taker"];
  return maker.gt(taker) ? [maker, "maker"] : [taker, "taker"];
}

function result(
  rate: Decimal,
  liquidity: "maker" | "taker",
  chargedIn: StopCommission["chargedIn"],
): StopCommission {
  if (rate.gte(1)) {
    throw new RangeError(`Invalid commission: the parts add up to ${rate.toFixed()}, not below 1`);
  }
  const r = rate.toFixed();
  return { rate: r, liquidity, chargedIn, baseRate: chargedIn === "base" ? r : "0" };
}

/**
 * The stop's commission from a spot `GET /api/v3/account/commission` answer (also margin's).
 *
 * @param answer Binance's body: `standardCommission`, `specialCommission`, `taxCommission`, each
 *   `{ maker, taker, buyer, seller }` (a missing part or field counts as 0).
 * @param stop Side and order type.
 * @returns The effective rate: per part (maker or taker) + (buyer or seller), summed.
 * @throws {TypeError} A rate that is not a plain decimal string, a bad side or order type.
 * @throws {RangeError} A rate (or their sum) of 1 or more.
 *
 * @example Binance's documented example, a SELL market stop
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { spotStopCommission } from "./_commission.ts";
 *
 * const answer = {
 *   symbol: "BTCUSDT",
 *   standardCommission: { maker: "0.00000040", taker: "0.00000050", buyer: "0.00000010", seller: "0.00000010" },
 *   specialCommission: { maker: "0.04000000", taker: "0.05000000", buyer: "0.01000000", seller: "0.01000000" },
 *   taxCommission: { maker: "0.00000128", taker: "0.00000130", buyer: "0.00000100", seller: "0.00000100" },
 * };
 * assertEquals(spotStopCommission(answer, { side: "SELL", orderType: "MARKET" }), {
 *   rate: "0.0600029", liquidity: "taker", chargedIn: "quote", baseRate: "0",
 * });
 * ```
 */
export function spotStopCommission(answer: unknown, stop: StopKind): StopCommission {
  checkStop(stop, true);
  const a = (answer ?? {}) as Record<string, unknown>;
  let maker = new Decimal(0);
  let taker = new Decimal(0);
  for (const part of ["standardCommission", "specialCommission", "taxCommission"] as const) {
    const p = (a[part] ?? {}) as Record<string, unknown>;
    if (typeof p !== "object") throw new TypeError(`Invalid commission ${part}: expected an object`);
    const sided = rateOf(
      stop.side === "BUY" ? p.buyer : p.seller,
      `${part}.${stop.side === "BUY" ? "buyer" : "seller"}`,
    );
    maker = maker.plus(rateOf(p.maker, `${part}.maker`)).plus(sided);
    taker = taker.plus(rateOf(p.taker, `${part}.taker`)).plus(sided);
  }
  const [rate, liquidity] = pick(maker, taker, stop.orderType);
  return result(rate, liquidity, stop.side === "BUY" ? "base" : "quote");
}

/**
 * The stop's commission from a futures `commissionRate` answer (USDⓈ-M or COIN-M).
 *
 * @param answer `{ makerCommissionRate, takerCommissionRate }`.
 * @param stop Order type (the side does not change futures rates).
 * @returns The rate; charged from the margin balance (`baseRate` `"0"`).
 * @throws {TypeError} A rate that is not a plain decimal string.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { futuresStopCommission } from "./_commission.ts";
 *
 * const answer = { symbol: "BTCUSDT", makerCommissionRate: "0.0002", takerCommissionRate: "0.0004" };
 * assertEquals(futuresStopCommission(answer, { orderType: "MARKET" }).rate, "0.0004");
 * ```
 */
export function futuresStopCommission(
  answer: unknown,
  stop: Pick<StopKind, "orderType">,
): StopCommission {
  checkStop(stop, false);
  const a = (answer ?? {}) as Record<string, unknown>;
  const [rate, liquidity] = pick(
    rateOf(a.makerCommissionRate, "makerCommissionRate"),
    rateOf(a.takerCommissionRate, "takerCommissionRate"),
    stop.orderType,
  );
  return result(rate, liquidity, "margin");
}

/**
 * Reads the account's commission for the engine's stop on a venue (one signed REST call, weight 20).
 *
 * @param rest A signed REST client of the venue.
 * @param kind The venue.
 * @param symbol The market.
 * @param stop Side and order type of the stop.
 * @param signal Aborts the request.
 * @returns The commission (see {@link StopCommission.baseRate} for the quantity).
 * @throws {BinanceApiError} When Binance refuses the call (keys, symbol).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BinanceRestClient } from "../rest/mod.ts";
 * import { startEmulator } from "../testing/mod.ts";
 * import { stopCommission } from "./_commission.ts";
 *
 * await using emu = await startEmulator({ paused: true, accounts: [{ apiKey: "k", secretKey: "s" }] });
 * const rest = new BinanceRestClient({ baseUrl: emu.restUrl, apiKey: "k", apiSecret: "s" });
 * const c = await stopCommission(rest, "spot", "BTCUSDT", { side: "SELL", orderType: "LIMIT" });
 * assertEquals(c, { rate: "0", liquidity: "taker", chargedIn: "quote", baseRate: "0" }); // the emulator charges none
 * ```
 */
export async function stopCommission(
  rest: BinanceRestClient,
  kind: VenueKind,
  symbol: string,
  stop: StopKind,
  signal?: AbortSignal,
): Promise<StopCommission> {
  checkStop(stop, true);
  if (kind === "usdm") {
    return futuresStopCommission(await rest.futuresCommissionRate({ symbol, signal }), stop);
  }
  if (kind === "coinm") {
    const answer = await rest.request(
      { method: "GET", family: "dapi", path: "/dapi/v1/commissionRate", security: "SIGNED", weight: 20 },
      { symbol },
      { signal },
    );
    return futuresStopCommission(answer, stop);
  }
  return spotStopCommission(await rest.getCommission({ symbol, signal }), stop);
}

/**
 * What a BUY stop must buy so that `net` base arrives after the commission (a margin short's loan
 * repaid in full): `net / (1 − baseRate)`, ceiled to the step. SELL stops and futures: `net`.
 *
 * @param net The base quantity that must arrive (the loan to repay).
 * @param commission The BUY stop's commission ({@link stopCommission} with `side: "BUY"`).
 * @param stepSize `LOT_SIZE.stepSize` (or `MARKET_LOT_SIZE.stepSize` for a market stop).
 * @returns The quantity to order, plain decimal on the step.
 * @throws {TypeError} `net` not a plain decimal, or a bad step.
 *
 * @example 0.1 % taken in base: 1 BTC to repay needs 1.001002 bought
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { coverQuantity } from "./_commission.ts";
 *
 * const c = { rate: "0.001", liquidity: "taker", chargedIn: "base", baseRate: "0.001" } as const;
 * assertEquals(coverQuantity("1", c, "0.000001"), "1.001002");
 * ```
 */
export function coverQuantity(net: string, commission: StopCommission, stepSize: string): string {
  if (typeof net !== "string" || !PLAIN.test(net)) {
    throw new TypeError(`Invalid net: expected a plain decimal string, got ${JSON.stringify(net)}`);
  }
  const gross = new Decimal(net).div(new Decimal(1).minus(rateOf(commission.baseRate, "baseRate")));
  return roundToStep(gross.toFixed(), stepSize, "ceil");
}
