/**
 * `BinanceRestClient`: every endpoint family plus the client-side helpers of the Python suite —
 * cached symbol info, order shortcuts that round to the symbol's filters and check them before
 * sending, historical klines as an async iterator, and order reconciliation after an unknown
 * outcome.
 *
 * @module
 */
import { isBinanceApiError } from "../core/errors.ts";
import { checkOptions, type OptionKeys, optionKeys, showValue } from "../core/_options.ts";
import type { CallOptions, RestClientOptions } from "./client_core.ts";
import { OptionsTradingClient } from "./endpoints/options_trading.ts";
import type { Decimal, NewOrderOptions } from "./endpoints/spot_trading.ts";
import type { KlineInterval } from "./endpoints/market.ts";
import { isOrderStatusUnknownError, type OrderStatusUnknownError } from "./errors.ts";
import { applyOrderFilters, type RoundingMode } from "./order_filters.ts";
import type { Order, OrderList } from "./types_account.ts";
import type { FuturesOrder } from "./types_futures.ts";
import type { OptionsOrder } from "./endpoints/options_trading.ts";
import type { ExchangeInfo, Kline, SymbolInfo } from "./types_market.ts";

/** Options of {@link BinanceRestClient}. */
export interface BinanceRestClientOptions extends RestClientOptions {
  /** How long `getSymbolInfo` reuses exchangeInfo (ms, default 300 000). */
  readonly exchangeInfoTtlMs?: number;
}

/** Options of the rounding order shortcuts. */
export interface OrderShortcutOptions extends CallOptions {
  /** Symbol. */
  readonly symbol: string;
  /** Base quantity (rounded down to the step size). */
  readonly quantity: Decimal;
  /** Limit price (rounded down for BUY, up for SELL, unless `priceRounding` says otherwise). */
  readonly price?: Decimal;
  /** Time in force (LIMIT, default `GTC`). */
  readonly timeInForce?: string;
  /** Client order id (generated when absent). */
  readonly newClientOrderId?: string;
  /** `ACK`, `RESULT`, `FULL`. */
  readonly newOrderRespType?: "ACK" | "RESULT" | "FULL";
  /** Override of the price rounding direction. */
  readonly priceRounding?: RoundingMode;
  /** Send to `/api/v3/order/test` instead of placing the order. */
  readonly test?: boolean;
}

/** Options of {@link BinanceRestClient.historicalKlines}. */
export interface HistoricalKlinesOptions extends CallOptions {
  /** Symbol. */
  readonly symbol: string;
  /** Interval (`1M` works too: paging follows the returned open times). */
  readonly interval: KlineInterval;
  /** First open time: epoch ms, a `Date` or a date string `Date.parse` understands. */
  readonly start: number | Date | string;
  /** Last open time (inclusive); now when omitted. */
  readonly end?: number | Date | string;
  /** Klines per request (default 1000, the spot maximum at the same weight). */
  readonly limit?: number;
}

/** What {@link BinanceRestClient.reconcileOrder} needs when not given the error itself. */
export interface OrderReference {
  /** Endpoint of the placement, e.g. `"POST /api/v3/order"`. */
  readonly endpoint: string;
  /** The client order id (list client id for order lists). */
  readonly newClientOrderId: string;
  /** Symbol. */
  readonly symbol?: string;
  /** Margin: `"TRUE"` for isolated. */
  readonly isIsolated?: "TRUE" | "FALSE";
}

const OWN_KEYS: OptionKeys = optionKeys<Omit<BinanceRestClientOptions, keyof RestClientOptions>>({
  exchangeInfoTtlMs: true,
});
const SHORTCUT_KEYS: OptionKeys = optionKeys<OrderShortcutOptions>({
  signal: true,
  symbol: true,
  quantity: true,
  price: true,
  timeInForce: true,
  newClientOrderId: true,
  newOrderRespType: true,
  priceRounding: true,
  test: true,
});
const SIDED_SHORTCUT_KEYS: OptionKeys = {
  list: [...SHORTCUT_KEYS.list, "side"],
  set: new Set([...SHORTCUT_KEYS.list, "side"]),
};
const HISTORICAL_KEYS: OptionKeys = optionKeys<HistoricalKlinesOptions>({
  signal: true,
  symbol: true,
  interval: true,
  start: true,
  end: true,
  limit: true,
});
const SYMBOL_INFO_KEYS: OptionKeys = optionKeys<CallOptions & { readonly refresh?: boolean }>({
  signal: true,
  refresh: true,
});
const CALL_KEYS: OptionKeys = optionKeys<CallOptions>({ signal: true });
const REFERENCE_KEYS: OptionKeys = optionKeys<OrderReference>({
  endpoint: true,
  newClientOrderId: true,
  symbol: true,
  isIsolated: true,
});

function toMs(name: string, value: number | Date | string): number {
  const ms = typeof value === "number" ? value : value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid ${name}: ${String(value)} is not a date`);
  return ms;
}

/**
 * The Binance REST client: public and signed endpoints of every venue, with signing,
 * time sync, rate-limit handling and safe retries.
 *
 * @example Latest price from a fake fetch (no network)
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BinanceRestClient } from "./client.ts";
 *
 * const fetch = (input: RequestInfo | URL) => {
 *   assertEquals(String(input), "https://api.binance.com/api/v3/ticker/price?symbol=BTCUSDT");
 *   return Promise.resolve(new Response('{"symbol":"BTCUSDT","price":"97000.01"}'));
 * };
 * const client = new BinanceRestClient({ fetch });
 * assertEquals((await client.getSymbolTicker({ symbol: "BTCUSDT" })).price, "97000.01");
 * ```
 */
export class BinanceRestClient extends OptionsTradingClient {
  /** The option keys the constructor accepts (any other key is refused by name). */
  static override readonly optionKeys: readonly string[] = [
    ...OptionsTradingClient.optionKeys,
    ...OWN_KEYS.list,
  ];
  #ttl: number;
  #info: { at: number; promise: Promise<ExchangeInfo> } | undefined;

  /**
   * Creates a client. Nothing is sent until the first call.
   *
   * @param options Venue, credentials, transport, retry and budget options.
   * @throws {RangeError} Unknown exchange or an option out of range.
   * @throws {TypeError} Conflicting or invalid credentials.
   */
  constructor(options: BinanceRestClientOptions = {}) {
    super(options);
    this.#ttl = options.exchangeInfoTtlMs ?? 300_000;
  }

  #exchangeInfo(signal?: AbortSignal): Promise<ExchangeInfo> {
    const now = Date.now();
    if (this.#info && now - this.#info.at < this.#ttl) return this.#info.promise;
    const market = this.exchange.market;
    const promise = market === "usdm"
      ? this.futuresExchangeInfo({ signal })
      : market === "coinm"
      ? this.futuresCoinExchangeInfo({ signal })
      : market === "options"
      // eapi lists contracts under `optionSymbols`
      ? this.optionsExchangeInfo({ signal }).then((i) =>
        ({ ...i, symbols: i.optionSymbols ?? [] }) as ExchangeInfo
      )
      : this.getExchangeInfo({ signal });
    const entry = { at: now, promise };
    this.#info = entry;
    promise.catch(() => {
      if (this.#info === entry) this.#info = undefined;
    });
    return promise;
  }

  /**
   * One symbol's rules from a cached exchangeInfo of the client's venue (spot, USDⓈ-M, COIN-M or options).
   * Python: `get_symbol_info` (which downloaded exchangeInfo on every call).
   *
   * @param symbol Symbol (case-insensitive).
   * @param options `refresh` to bypass the cache.
   * @returns The symbol's info, or `null` when the venue does not list it.
   */
  async getSymbolInfo(
    symbol: string,
    options: CallOptions & { readonly refresh?: boolean } = {},
  ): Promise<SymbolInfo | null> {
    checkOptions(options, "getSymbolInfo options", SYMBOL_INFO_KEYS);
    if (options.refresh) this.#info = undefined;
    const info = await this.#exchangeInfo(options.signal);
    const wanted = symbol.toUpperCase();
    return info.symbols.find((s) => s.symbol === wanted) ?? null;
  }

  async #shortcut(
    side: "BUY" | "SELL",
    type: "LIMIT" | "MARKET",
    options: OrderShortcutOptions,
    what: string,
  ): Promise<Order | Record<string, unknown>> {
    checkOptions(
      options,
      `${what} options`,
      what === "orderLimit" || what === "orderMarket" ? SIDED_SHORTCUT_KEYS : SHORTCUT_KEYS,
    );
    const info = await this.getSymbolInfo(options.symbol, { signal: options.signal });
    if (!info) {
      throw new RangeError(
        `Unknown symbol ${options.symbol}: not listed in exchangeInfo of ${this.exchange.name}`,
      );
    }
    if (type === "LIMIT" && options.price === undefined) {
      throw new TypeError("Missing price: a LIMIT order needs a price");
    }
    let referencePrice = options.price;
    if (type === "MARKET") {
      referencePrice = (await this.getAvgPrice({ symbol: info.symbol, signal: options.signal })).price;
    }
    const { quantity, price } = applyOrderFilters(info, {
      side,
      type,
      quantity: options.quantity,
      price: type === "LIMIT" ? options.price : undefined,
      referencePrice,
      priceRounding: options.priceRounding,
    });
    const order: NewOrderOptions = {
      symbol: info.symbol,
      side,
      type,
      ...(type === "LIMIT" ? { timeInForce: options.timeInForce ?? "GTC" } : {}),
      quantity,
      ...(price !== undefined ? { price } : {}),
      newClientOrderId: options.newClientOrderId,
      newOrderRespType: options.newOrderRespType,
      signal: options.signal,
    };
    return options.test ? this.createTestOrder(order) : this.createOrder(order);
  }

  /**
   * LIMIT BUY rounded to the symbol's filters and checked before sending. Python: `order_limit_buy`.
   *
   * @param options `symbol`, `quantity`, `price`, `timeInForce`, …
   * @returns The order (or `{}` with `test: true`).
   * @throws {RangeError} A filter would reject the order; the message names the filter.
   */
  orderLimitBuy(options: OrderShortcutOptions): Promise<Order | Record<string, unknown>> {
    return this.#shortcut("BUY", "LIMIT", options, "orderLimitBuy");
  }

  /**
   * LIMIT SELL rounded to the symbol's filters and checked before sending. Python: `order_limit_sell`.
   *
   * @param options `symbol`, `quantity`, `price`, `timeInForce`, …
   * @returns The order (or `{}` with `test: true`).
   * @throws {RangeError} A filter would reject the order; the message names the filter.
   */
  orderLimitSell(options: OrderShortcutOptions): Promise<Order | Record<string, unknown>> {
    return this.#shortcut("SELL", "LIMIT", options, "orderLimitSell");
  }

  /**
   * LIMIT order of either side, rounded and checked. Python: `order_limit`.
   *
   * @param options Shortcut options plus `side`.
   * @returns The order (or `{}` with `test: true`).
   * @throws {RangeError} A filter would reject the order.
   */
  orderLimit(
    options: OrderShortcutOptions & { readonly side: "BUY" | "SELL" },
  ): Promise<Order | Record<string, unknown>> {
    return this.#shortcut(options.side, "LIMIT", options, "orderLimit");
  }

  /**
   * MARKET BUY with the quantity rounded and checked (notional against the average price).
   * Python: `order_market_buy`.
   *
   * @param options `symbol`, `quantity`, …
   * @returns The order (or `{}` with `test: true`).
   * @throws {RangeError} A filter would reject the order.
   */
  orderMarketBuy(options: OrderShortcutOptions): Promise<Order | Record<string, unknown>> {
    return this.#shortcut("BUY", "MARKET", options, "orderMarketBuy");
  }

  /**
   * MARKET SELL with the quantity rounded and checked. Python: `order_market_sell`.
   *
   * @param options `symbol`, `quantity`, …
   * @returns The order (or `{}` with `test: true`).
   * @throws {RangeError} A filter would reject the order.
   */
  orderMarketSell(options: OrderShortcutOptions): Promise<Order | Record<string, unknown>> {
    return this.#shortcut("SELL", "MARKET", options, "orderMarketSell");
  }

  /**
   * MARKET order of either side, rounded and checked. Python: `order_market`.
   *
   * @param options Shortcut options plus `side`.
   * @returns The order (or `{}` with `test: true`).
   * @throws {RangeError} A filter would reject the order.
   */
  orderMarket(
    options: OrderShortcutOptions & { readonly side: "BUY" | "SELL" },
  ): Promise<Order | Record<string, unknown>> {
    return this.#shortcut(options.side, "MARKET", options, "orderMarket");
  }

  /**
   * Klines across any date range, page by page (`limit` per request), as an async iterator.
   * Python: `get_historical_klines` / `get_historical_klines_generator` (without their 1-second
   * sleeps — use `weightBudget` to pace — and working for `1M`).
   *
   * @param options `symbol`, `interval`, `start`, `end`, `limit`.
   * @returns An async iterator of klines in time order.
   * @throws {RangeError} When `start`/`end` is not a date or `limit` is out of 1–1500.
   */
  async *historicalKlines(options: HistoricalKlinesOptions): AsyncGenerator<Kline, void, undefined> {
    checkOptions(options, "historicalKlines options", HISTORICAL_KEYS);
    let cursor = toMs("start", options.start);
    const end = options.end === undefined ? undefined : toMs("end", options.end);
    const limit = options.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1500) {
      throw new RangeError(`Invalid limit: expected an integer in 1..1500, got ${showValue(limit)}`);
    }
    const market = this.exchange.market;
    let last = -Infinity;
    for (;;) {
      if (end !== undefined && cursor > end) return;
      const page = {
        symbol: options.symbol,
        interval: options.interval,
        startTime: cursor,
        endTime: end,
        limit,
        signal: options.signal,
      };
      const rows = market === "usdm"
        ? await this.futuresKlines(page)
        : market === "coinm"
        ? await this.futuresCoinKlines(page)
        : await this.getKlines(page);
      let fresh = 0;
      for (const row of rows) {
        // a server that also returns the kline containing startTime must not yield it twice
        const open = Number(row[0]);
        if (open <= last) continue;
        last = open;
        fresh++;
        yield row;
      }
      if (rows.length < limit || fresh === 0) return;
      cursor = last + 1;
    }
  }

  /**
   * Looks up an order whose placement ended with an unknown outcome, by its client order id.
   * Binance may still be processing it: `null` now does not prove it will never exist.
   *
   * @param ref The `OrderStatusUnknownError`, or the endpoint, client id, symbol (and margin `isIsolated`).
   * @param options Abort signal.
   * @returns The order (or order list), or `null` when Binance does not know it (`-2013`).
   * @throws {RangeError} When the endpoint is not an order placement this client knows.
   */
  async reconcileOrder(
    ref: OrderStatusUnknownError | OrderReference,
    options: CallOptions = {},
  ): Promise<Order | OrderList | FuturesOrder | OptionsOrder | Record<string, unknown> | null> {
    if (!isOrderStatusUnknownError(ref)) checkOptions(ref, "reconcileOrder reference", REFERENCE_KEYS);
    checkOptions(options, "reconcileOrder options", CALL_KEYS);
    const endpoint = ref.endpoint;
    const id = ref.newClientOrderId;
    const symbol = ref.symbol;
    const signal = options.signal;
    const path = endpoint.replace(/^[A-Z]+ /, "");
    const needSymbol = (): string => {
      if (!symbol) throw new TypeError(`Missing symbol: reconciling ${endpoint} needs the order's symbol`);
      return symbol;
    };
    try {
      if (
        path === "/api/v3/order" || path === "/api/v3/sor/order" || path === "/api/v3/order/cancelReplace"
      ) {
        return await this.getOrder({ symbol: needSymbol(), origClientOrderId: id, signal });
      }
      if (path.startsWith("/api/v3/orderList/")) {
        return await this.getOrderList({ origClientOrderId: id, signal });
      }
      if (path === "/sapi/v1/margin/order") {
        const isIsolated = ref.isIsolated;
        return await this.getMarginOrder({
          symbol: needSymbol(),
          origClientOrderId: id,
          ...(isIsolated !== undefined ? { isIsolated } : {}),
          signal,
        });
      }
      if (path === "/fapi/v1/order") {
        return await this.futuresGetOrder({ symbol: needSymbol(), origClientOrderId: id, signal });
      }
      if (path === "/dapi/v1/order") {
        return await this.futuresCoinGetOrder({ symbol: needSymbol(), origClientOrderId: id, signal });
      }
      if (path === "/eapi/v1/order") {
        return await this.optionsQueryOrder({ symbol: needSymbol(), clientOrderId: id, signal });
      }
      if (path === "/papi/v1/um/order") {
        return await this.papiGetUmOrder({ symbol: needSymbol(), origClientOrderId: id, signal });
      }
      if (path === "/papi/v1/cm/order") {
        return await this.papiGetCmOrder({ symbol: needSymbol(), origClientOrderId: id, signal });
      }
      if (path === "/fapi/v1/algoOrder") {
        return await this.call(
          { method: "GET", family: "fapi", path: "/fapi/v1/algoOrder", security: "SIGNED", weight: 1 },
          { clientAlgoId: id, signal },
        );
      }
    } catch (e) {
      if (isBinanceApiError(e) && (e.code === -2013 || e.code === -2011)) return null;
      throw e;
    }
    throw new RangeError(`Cannot reconcile ${endpoint}: not an order placement endpoint`);
  }
}
