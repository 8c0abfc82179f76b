/**
 * European options the emulator lists itself: for each simulated spot `<BASE>USDT` market of BTC
 * and ETH, calls and puts at five strikes around the price for the next two Friday 08:00 UTC
 * expiries (`BTC-260327-70000-C`). Each contract is a simulated book like any other market (its
 * own trades and candles); the mark is the book's mid, the index the spot underlying's mid, and
 * the implied volatility and Greeks are solved from the mark with Black-Scholes (rate 0).
 *
 * @module
 */
import { Market } from "./market.ts";
import type { SymbolSpec } from "./symbols.ts";
import { parseUnits } from "./units.ts";

/** Contract terms of one option. */
export interface OptionTerms {
  readonly symbol: string;
  readonly underlying: string;
  readonly baseAsset: string;
  readonly side: "CALL" | "PUT";
  readonly strike: number;
  readonly expiry: number;
}

const DAY = 86_400_000;
const YEAR = 365 * DAY;
/** Volatility the initial prices are set from (a mild smile on top). */
const BASE_VOL = 0.55;

function normCdf(x: number): number {
  // Abramowitz-Stegun 26.2.17 (error < 7.5e-8)
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  const p = d * t *
    (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - p : p;
}

function normPdf(x: number): number {
  return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
}

/** Black-Scholes price (rate 0). */
export function bsPrice(side: "CALL" | "PUT", s: number, k: number, t: number, vol: number): number {
  if (t <= 0 || vol <= 0) return Math.max(0, side === "CALL" ? s - k : k - s);
  const d1 = (Math.log(s / k) + vol * vol * t / 2) / (vol * Math.sqrt(t));
  const d2 = d1 - vol * Math.sqrt(t);
  return side === "CALL" ? s * normCdf(d1) - k * normCdf(d2) : k * normCdf(-d2) - s * normCdf(-d1);
}

/** Implied volatility of `price` by bisection on [0.01, 5] (0 when the price is below intrinsic). */
export function impliedVol(side: "CALL" | "PUT", s: number, k: number, t: number, price: number): number {
  let lo = 0.01;
  let hi = 5;
  if (price <= bsPrice(side, s, k, t, lo)) return lo;
  if (price >= bsPrice(side, s, k, t, hi)) return hi;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (bsPrice(side, s, k, t, mid) < price) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Black-Scholes Greeks (rate 0; theta per day, vega per 1 % of volatility). */
export function greeks(
  side: "CALL" | "PUT",
  s: number,
  k: number,
  t: number,
  vol: number,
): { delta: number; gamma: number; theta: number; vega: number } {
  const st = vol * Math.sqrt(Math.max(t, 1e-9));
  const d1 = (Math.log(s / k) + vol * vol * Math.max(t, 1e-9) / 2) / st;
  const delta = side === "CALL" ? normCdf(d1) : normCdf(d1) - 1;
  const gamma = normPdf(d1) / (s * st);
  const theta = -s * normPdf(d1) * vol / (2 * Math.sqrt(Math.max(t, 1e-9))) / 365;
  const vega = s * normPdf(d1) * Math.sqrt(Math.max(t, 1e-9)) / 100;
  return { delta, gamma, theta, vega };
}

/** Years from `now` to `expiry`. */
export function yearsTo(expiry: number, now: number): number {
  return Math.max(0, expiry - now) / YEAR;
}

function nextFridays(now: number, n: number): number[] {
  const out: number[] = [];
  let d = Math.floor(now / DAY) * DAY + 8 * 3_600_000;
  while (out.length < n) {
    d += DAY;
    // 1970-01-01 was a Thursday: Fridays are day numbers ≡ 1 (mod 7)
    if (Math.floor(d / DAY) % 7 === 1 && d - now > DAY) out.push(d);
  }
  return out;
}

function yymmdd(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCFullYear() % 100).padStart(2, "0")}${
    String(d.getUTCMonth() + 1).padStart(2, "0")
  }${String(d.getUTCDate()).padStart(2, "0")}`;
}

/** The listed options and their simulated books. */
export interface OptionChain {
  readonly terms: ReadonlyMap<string, OptionTerms>;
  readonly markets: readonly Market[];
}

/**
 * Lists the options of the BTC and ETH spot underlyings present in `spot`.
 *
 * @param spot the simulated spot markets (their mid prices set the strikes)
 * @param seed the simulator seed
 * @param now start time
 */
export function listOptions(spot: readonly Market[], seed: number, now: number): OptionChain {
  const terms = new Map<string, OptionTerms>();
  const markets: Market[] = [];
  for (const base of ["BTC", "ETH"]) {
    const u = spot.find((m) => m.spec.symbol === `${base}USDT`);
    if (!u) continue;
    const s = u.toPrice(u.lastPrice);
    const step = base === "BTC" ? 1000 : 50;
    const atm = Math.round(s / step) * step;
    for (const expiry of nextFridays(now, 2)) {
      for (let i = -2; i <= 2; i++) {
        const strike = atm + i * step;
        for (const side of ["CALL", "PUT"] as const) {
          const t = yearsTo(expiry, now);
          const vol = BASE_VOL + 0.15 * Math.abs(Math.log(strike / s));
          // at least 300 ticks, so the simulated book keeps all its levels above zero
          const price = Math.max(30, bsPrice(side, s, strike, t, vol));
          const symbol = `${base}-${yymmdd(expiry)}-${strike}-${side[0]}`;
          const priceText = (Math.round(price * 10) / 10).toFixed(1);
          const spec: SymbolSpec = {
            symbol,
            market: "options",
            baseAsset: base,
            quoteAsset: "USDT",
            tickSize: "0.1",
            stepSize: "0.01",
            minQty: "0.01",
            maxQty: "1000",
            minPrice: "0.1",
            maxPrice: String(step * 100),
            minNotional: "0.1",
            priceDecimals: 1,
            qtyDecimals: 2,
            priceWidth: 1,
            qtyWidth: 2,
            tickUnits: 1,
            stepUnits: 1,
            initialPrice: parseUnits(priceText, 1)!,
            minNotionalValue: 0.1,
            levels: 100,
            pair: `${base}USDT`,
            marginAsset: "USDT",
            contractSize: 0,
          };
          terms.set(symbol, { symbol, underlying: `${base}USDT`, baseAsset: base, side, strike, expiry });
          markets.push(new Market(spec, seed, now));
        }
      }
    }
  }
  return { terms, markets };
}
