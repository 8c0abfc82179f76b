/**
 * Market (symbol) configuration: defaults, validation and the resolved specification the
 * simulator and the REST layer share. Invalid options throw TypeError/RangeError naming the field.
 *
 * @module
 */
import { refuseUnknownKeys } from "./option_keys.ts";
import { decimalsOf, parseUnits } from "./units.ts";

/**
 * Which venue family a symbol belongs to (`coinm`: COIN-M inverse contracts under `/dapi/v1`;
 * `options`: the European options the emulator lists itself under `/eapi/v1`).
 */
export type MarketKind = "spot" | "usdm" | "coinm" | "options";

/** User options for one simulated symbol. */
export interface MarketOptions {
  /** Symbol, e.g. "BTCUSDT" (uppercase letters and digits). */
  readonly symbol: string;
  /**
   * "spot" (served under /api/v3), "usdm" (USDⓈ-M futures, /fapi/v1) or "coinm" (COIN-M inverse
   * contracts, /dapi/v1, symbols like `BTCUSD_PERP`). Default "spot".
   */
  readonly market?: MarketKind;
  /** Base asset; derived from the symbol's quote suffix when omitted. */
  readonly baseAsset?: string;
  /** Quote asset; derived from known suffixes (USDT, USDC, FDUSD, BTC, ETH, BNB, EUR, TRY) when omitted. */
  readonly quoteAsset?: string;
  /** Initial mid price as a decimal string. Default "100". */
  readonly price?: string;
  /** PRICE_FILTER tickSize. Default derived from the price (about 1e-6 of it). */
  readonly tickSize?: string;
  /** LOT_SIZE stepSize. Default derived from the price. */
  readonly stepSize?: string;
  /** NOTIONAL / MIN_NOTIONAL minNotional. Default "5" (spot) / "5" (futures). */
  readonly minNotional?: string;
  /** Levels kept per book side (100 … 20000). Default 5000 spot, 2000 USD-M, 1000 COIN-M. */
  readonly levels?: number;
  /** COIN-M contract size in USD (default 100 for BTC, 10 otherwise); ignored elsewhere. */
  readonly contractSize?: number;
}

/** The resolved specification of one symbol. */
export interface SymbolSpec {
  readonly symbol: string;
  readonly market: MarketKind;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: string;
  readonly stepSize: string;
  readonly minQty: string;
  readonly maxQty: string;
  readonly minPrice: string;
  readonly maxPrice: string;
  readonly minNotional: string;
  /** Decimals of tickSize / stepSize (the unit scale of ticks and steps). */
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
  /** Fractional digits printed on the wire (spot: 8; futures: the tick/step decimals). */
  readonly priceWidth: number;
  readonly qtyWidth: number;
  /** Tick size and step size in units of 10^-decimals (usually 1). */
  readonly tickUnits: number;
  readonly stepUnits: number;
  /** Initial mid price in ticks-units (10^-priceDecimals). */
  readonly initialPrice: number;
  readonly minNotionalValue: number;
  readonly levels: number;
  /** COIN-M: the underlying pair (`BTCUSD`); other venues: the symbol. */
  readonly pair: string;
  /** The asset margin and PnL are kept in: COIN-M the base asset, USD-M the quote asset. */
  readonly marginAsset: string;
  /** COIN-M contract size in quote units (USD per contract); 0 for spot and USD-M. */
  readonly contractSize: number;
}

const MARKET_KEYS = [
  "symbol",
  "market",
  "baseAsset",
  "quoteAsset",
  "price",
  "tickSize",
  "stepSize",
  "minNotional",
  "levels",
  "contractSize",
] as const satisfies ReadonlyArray<keyof MarketOptions>;

const QUOTES = ["FDUSD", "USDT", "USDC", "BTC", "ETH", "BNB", "EUR", "TRY"];

/** Default markets: three spot symbols, two USDⓈ-M perpetuals and two COIN-M perpetuals. */
export const DEFAULT_MARKETS: readonly MarketOptions[] = [
  { symbol: "BTCUSDT", price: "65000.00", tickSize: "0.01", stepSize: "0.00001" },
  { symbol: "ETHUSDT", price: "3500.00", tickSize: "0.01", stepSize: "0.0001" },
  {
    symbol: "BNBBTC",
    price: "0.009000",
    tickSize: "0.000001",
    stepSize: "0.001",
    minNotional: "0.0001",
    levels: 2000,
  },
  {
    symbol: "BTCUSDT",
    market: "usdm",
    price: "65000.0",
    tickSize: "0.10",
    stepSize: "0.001",
    minNotional: "100",
  },
  {
    symbol: "ETHUSDT",
    market: "usdm",
    price: "3500.00",
    tickSize: "0.01",
    stepSize: "0.001",
    minNotional: "20",
  },
  { symbol: "BTCUSD_PERP", market: "coinm", price: "65000.0", tickSize: "0.1", stepSize: "1", levels: 1000 },
  { symbol: "ETHUSD_PERP", market: "coinm", price: "3500.00", tickSize: "0.01", stepSize: "1", levels: 1000 },
];

function isDecimal(v: unknown): v is string {
  return typeof v === "string" && /^\d+(\.\d+)?$/.test(v) && Number(v) > 0;
}

function defaultTick(price: number): string {
  const exp = Math.floor(Math.log10(price)) - 5;
  return exp >= 0 ? "1" : (10 ** exp).toFixed(-exp);
}

function defaultStep(price: number): string {
  // a step worth roughly 0.001–0.01 of the quote currency unit
  const exp = Math.max(-8, Math.min(0, -Math.ceil(Math.log10(price)) - 2));
  return exp === 0 ? "1" : (10 ** exp).toFixed(-exp);
}

/**
 * Validates and resolves one market option object.
 *
 * @param opt the user's options
 * @param field the field path used in error messages (e.g. "markets[0]")
 * @returns the resolved specification
 * @throws {TypeError} when a field has the wrong type or format
 * @throws {RangeError} when a number is out of range or tick/step do not fit the price
 */
export function resolveMarket(opt: MarketOptions, field: string): SymbolSpec {
  if (opt === null || typeof opt !== "object") throw new TypeError(`Invalid ${field}: expected an object`);
  refuseUnknownKeys(opt, MARKET_KEYS, field);
  const market = opt.market ?? "spot";
  if (market !== "spot" && market !== "usdm" && market !== "coinm") {
    // options are listed by the emulator from the spot underlyings, not configured
    throw new TypeError(`Invalid ${field}.market: expected "spot", "usdm" or "coinm"`);
  }
  if (market === "coinm") {
    if (typeof opt.symbol !== "string" || !/^[A-Z0-9]{2,12}USD_(PERP|\d{6})$/.test(opt.symbol)) {
      throw new TypeError(
        `Invalid ${field}.symbol: expected a COIN-M symbol such as BTCUSD_PERP or BTCUSD_260626`,
      );
    }
  } else if (
    // Binance accepts Unicode symbols since 2025-12-02 (e.g. the testnet's 这是测试币456)
    typeof opt.symbol !== "string" || !/^[\p{L}\p{N}]{2,20}$/u.test(opt.symbol) ||
    opt.symbol !== opt.symbol.toUpperCase()
  ) {
    throw new TypeError(`Invalid ${field}.symbol: expected 2-20 uppercase letters or digits`);
  }
  const coinm = market === "coinm";
  const pair = coinm ? opt.symbol.slice(0, opt.symbol.indexOf("_")) : opt.symbol;
  for (const k of ["price", "tickSize", "stepSize", "minNotional"] as const) {
    if (opt[k] !== undefined && !isDecimal(opt[k])) {
      throw new TypeError(`Invalid ${field}.${k}: expected a positive plain decimal string`);
    }
  }
  const quoteAsset = opt.quoteAsset ?? (coinm ? "USD" : undefined) ??
    QUOTES.find((q) => opt.symbol.endsWith(q) && opt.symbol.length > q.length);
  if (!quoteAsset) throw new TypeError(`Invalid ${field}.quoteAsset: cannot derive it from ${opt.symbol}`);
  const baseAsset = opt.baseAsset ?? pair.slice(0, pair.length - quoteAsset.length);
  if (!baseAsset) throw new TypeError(`Invalid ${field}.baseAsset: cannot derive it from ${opt.symbol}`);
  const priceText = opt.price ?? "100";
  const priceNum = Number(priceText);
  const tickSize = opt.tickSize ?? defaultTick(priceNum);
  const stepSize = opt.stepSize ?? (coinm ? "1" : defaultStep(priceNum));
  const priceDecimals = decimalsOf(tickSize);
  const qtyDecimals = decimalsOf(stepSize);
  if (priceDecimals > 8 || qtyDecimals > 8) {
    throw new RangeError(`Invalid ${field}: tickSize and stepSize allow at most 8 decimals`);
  }
  const initialPrice = parseUnits(priceText, priceDecimals);
  const tickUnits = parseUnits(tickSize, priceDecimals)!;
  if (initialPrice === null || Number.isNaN(initialPrice) || initialPrice % tickUnits !== 0) {
    throw new RangeError(`Invalid ${field}.price: ${priceText} is not a multiple of tickSize ${tickSize}`);
  }
  const levels = opt.levels ?? (market === "spot" ? 5000 : coinm ? 1000 : 2000);
  const contractSize = coinm ? (opt.contractSize ?? (baseAsset === "BTC" ? 100 : 10)) : 0;
  if (coinm && !(Number.isInteger(contractSize) && contractSize > 0)) {
    throw new RangeError(`Invalid ${field}.contractSize: expected a positive integer`);
  }
  if (!Number.isInteger(levels) || levels < 100 || levels > 20000) {
    throw new RangeError(`Invalid ${field}.levels: expected an integer from 100 to 20000`);
  }
  if (initialPrice / tickUnits <= levels * 3) {
    throw new RangeError(
      `Invalid ${field}.price: ${priceText} is too close to zero for ${levels} levels of tickSize ${tickSize}`,
    );
  }
  const spot = market === "spot";
  const minNotional = opt.minNotional ?? (spot ? "5" : "5");
  return {
    symbol: opt.symbol,
    market,
    baseAsset,
    quoteAsset,
    tickSize,
    stepSize,
    minQty: stepSize,
    maxQty: spot ? "9000000" : "1000000",
    minPrice: tickSize,
    maxPrice: String(Math.max(1_000_000, 10 ** (Math.ceil(Math.log10(priceNum)) + 2))),
    minNotional,
    priceDecimals,
    qtyDecimals,
    priceWidth: spot ? 8 : priceDecimals,
    qtyWidth: spot ? 8 : qtyDecimals,
    tickUnits,
    stepUnits: parseUnits(stepSize, qtyDecimals)!,
    initialPrice,
    minNotionalValue: coinm ? 0 : Number(minNotional),
    levels,
    pair,
    marginAsset: coinm ? baseAsset : quoteAsset,
    contractSize,
  };
}
