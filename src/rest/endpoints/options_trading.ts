/**
 * European options trading endpoints (`/eapi/v1`): orders (place, cancel, cancel all, query,
 * open orders), positions and the margin account. Orders carry a `clientOrderId` (filled when
 * absent) and are never retried blindly.
 *
 * @module
 */
import { ep, orderEp } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import { PortfolioMarginClient } from "./portfolio_margin.ts";
import type { Decimal } from "./spot_trading.ts";

/** An options order (`status`: `ACCEPTED`, `PARTIALLY_FILLED`, `FILLED`, `CANCELLED`, …). */
export interface OptionsOrder {
  /** Order id. */
  readonly orderId: number;
  /** Symbol. */
  readonly symbol: string;
  /** Price. */
  readonly price: string;
  /** Quantity. */
  readonly quantity: string;
  /** Executed qty. */
  readonly executedQty: string;
  /** Fee. */
  readonly fee: string;
  /** Side. */
  readonly side: "BUY" | "SELL";
  /** Type. */
  readonly type: string;
  /** Time in force. */
  readonly timeInForce: string;
  /** Reduce only. */
  readonly reduceOnly: boolean;
  /** Post only. */
  readonly postOnly: boolean;
  /** Create time (epoch ms). */
  readonly createTime: number;
  /** Update time (epoch ms). */
  readonly updateTime: number;
  /** Status. */
  readonly status: string;
  /** Avg price. */
  readonly avgPrice: string;
  /** Client order id. */
  readonly clientOrderId: string;
  /** Price scale. */
  readonly priceScale: number;
  /** Quantity scale. */
  readonly quantityScale: number;
  /** Option side. */
  readonly optionSide: "CALL" | "PUT";
  /** Quote asset. */
  readonly quoteAsset: string;
  /** Mmp. */
  readonly mmp: boolean;
}

/** Parameters of {@link OptionsTradingClient.optionsPlaceOrder}. */
export interface OptionsOrderOptions extends CallOptions {
  /** Symbol. */
  readonly symbol: string;
  /** Side. */
  readonly side: "BUY" | "SELL";
  /** Binance options take `LIMIT` only. */
  readonly type: "LIMIT";
  /** Contracts. */
  readonly quantity: Decimal;
  /** Premium per contract (USDT). */
  readonly price: Decimal;
  /** `GTC` (default), `IOC`, `FOK`. */
  readonly timeInForce?: "GTC" | "IOC" | "FOK";
  /** Reduce only. */
  readonly reduceOnly?: boolean;
  /** Post only. */
  readonly postOnly?: boolean;
  /** `ACK` or `RESULT`. */
  readonly newOrderRespType?: "ACK" | "RESULT";
  /** Your order id (generated when absent). */
  readonly clientOrderId?: string;
  /** Is mmp. */
  readonly isMmp?: boolean;
}

/** An order by `orderId` or `clientOrderId`. */
export interface OptionsOrderRefOptions extends CallOptions {
  /** Symbol. */
  readonly symbol: string;
  /** Order id. */
  readonly orderId?: number;
  /** Client order id. */
  readonly clientOrderId?: string;
}

/** An options position. */
export interface OptionsPosition {
  /** Entry price. */
  readonly entryPrice: string;
  /** Symbol. */
  readonly symbol: string;
  /** Side. */
  readonly side: "LONG" | "SHORT";
  /** Quantity. */
  readonly quantity: string;
  /** Reducible qty. */
  readonly reducibleQty: string;
  /** Mark value. */
  readonly markValue: string;
  /** Ror. */
  readonly ror: string;
  /** Unrealized PNL. */
  readonly unrealizedPNL: string;
  /** Mark price. */
  readonly markPrice: string;
  /** Strike price. */
  readonly strikePrice: string;
  /** Position cost. */
  readonly positionCost: string;
  /** Expiry date (epoch ms). */
  readonly expiryDate: number;
  /** Price scale. */
  readonly priceScale: number;
  /** Quantity scale. */
  readonly quantityScale: number;
  /** Option side. */
  readonly optionSide: "CALL" | "PUT";
  /** Quote asset. */
  readonly quoteAsset: string;
}

/** The options margin account. */
export interface OptionsMarginAccount {
  /** Asset. */
  readonly asset: readonly {
    readonly asset: string;
    readonly marginBalance: string;
    readonly equity: string;
    readonly available: string;
    readonly initialMargin: string;
    readonly maintMargin: string;
    readonly unrealizedPNL: string;
    readonly lpProfit: string;
  }[];
  /** Greek. */
  readonly greek: readonly {
    readonly underlying: string;
    readonly delta: string;
    readonly gamma: string;
    readonly theta: string;
    readonly vega: string;
  }[];
  /** Time. */
  readonly time: number;
  /** Can trade. */
  readonly canTrade: boolean;
  /** Can deposit. */
  readonly canDeposit: boolean;
  /** Can withdraw. */
  readonly canWithdraw: boolean;
  /** Reduce only. */
  readonly reduceOnly: boolean;
}

const ORDER = orderEp("eapi", "/eapi/v1/order", "clientOrderId");
const CANCEL = ep("DELETE", "eapi", "/eapi/v1/order", "SIGNED", 1);
const QUERY = ep("GET", "eapi", "/eapi/v1/order", "SIGNED", 1);
const CANCEL_ALL = ep("DELETE", "eapi", "/eapi/v1/allOpenOrders", "SIGNED", 1);
const OPEN = (all: boolean) => ep("GET", "eapi", "/eapi/v1/openOrders", "SIGNED", all ? 40 : 1);
const POSITION = ep("GET", "eapi", "/eapi/v1/position", "SIGNED", 5);
const MARGIN_ACCOUNT = ep("GET", "eapi", "/eapi/v1/marginAccount", "SIGNED", 3);

/**
 * Options trading methods.
 *
 * @example Buy a call at the ask (against the emulator)
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BinanceRestClient } from "../client.ts";
 * import { startEmulator } from "../../testing/mod.ts";
 *
 * const emu = await startEmulator({ paused: true, accounts: [{ apiKey: "k", secretKey: "s" }] });
 * try {
 *   const client = new BinanceRestClient({
 *     exchange: "binance.com-vanilla-options",
 *     baseUrl: emu.restUrl,
 *     apiKey: "k",
 *     apiSecret: "s",
 *   });
 *   const info = (await client.optionsExchangeInfo()) as { optionSymbols: { symbol: string }[] };
 *   const symbol = info.optionSymbols[0].symbol;
 *   const [ask] = emu.book(symbol, { market: "options", limit: 1 }).asks[0];
 *   const order = await client.optionsPlaceOrder({ symbol, side: "BUY", type: "LIMIT", quantity: "0.01", price: ask });
 *   assertEquals(order.status, "FILLED");
 *   assertEquals((await client.optionsPositions({ symbol }))[0].side, "LONG");
 * } finally {
 *   await emu.close();
 * }
 * ```
 */
export class OptionsTradingClient extends PortfolioMarginClient {
  /**
   * Places an options order (`POST /eapi/v1/order`). Python (python-binance): `options_place_order`.
   *
   * @param options `symbol`, `side`, `type` LIMIT, `quantity`, `price`, `timeInForce`, …
   * @returns The order.
   */
  optionsPlaceOrder(options: OptionsOrderOptions): Promise<OptionsOrder> {
    return this.call(ORDER, options);
  }

  /**
   * Cancels an options order (`DELETE /eapi/v1/order`). Python (python-binance): `options_cancel_order`.
   *
   * @param options `symbol` and `orderId` or `clientOrderId`.
   * @returns The canceled order.
   */
  optionsCancelOrder(options: OptionsOrderRefOptions): Promise<OptionsOrder> {
    return this.call(CANCEL, options);
  }

  /**
   * Cancels every open order of a contract (`DELETE /eapi/v1/allOpenOrders`). Python
   * (python-binance): `options_cancel_all_orders`.
   *
   * @param options `symbol`.
   * @returns `{ code, msg }`.
   */
  optionsCancelAllOrders(
    options: CallOptions & { readonly symbol: string },
  ): Promise<{ readonly code: number; readonly msg: string }> {
    return this.call(CANCEL_ALL, options);
  }

  /**
   * One options order (`GET /eapi/v1/order`). Python (python-binance): `options_query_order`.
   *
   * @param options `symbol` and `orderId` or `clientOrderId`.
   * @returns The order.
   */
  optionsQueryOrder(options: OptionsOrderRefOptions): Promise<OptionsOrder> {
    return this.call(QUERY, options);
  }

  /**
   * Open options orders (`GET /eapi/v1/openOrders`, weight 1 with `symbol`, else 40). Python
   * (python-binance): `options_query_pending_orders`.
   *
   * @param options `symbol`, `orderId`, `startTime`, `endTime`.
   * @returns Orders.
   */
  optionsQueryPendingOrders(
    options?: CallOptions & {
      readonly symbol?: string;
      readonly orderId?: number;
      readonly startTime?: number;
      readonly endTime?: number;
    },
  ): Promise<OptionsOrder[]> {
    return this.call(OPEN(!options?.symbol), options);
  }

  /**
   * Options positions (`GET /eapi/v1/position`, weight 5). Python (python-binance): `options_positions`.
   *
   * @param options `symbol`.
   * @returns Positions.
   */
  optionsPositions(options?: CallOptions & { readonly symbol?: string }): Promise<OptionsPosition[]> {
    return this.call(POSITION, options);
  }

  /**
   * The options margin account (`GET /eapi/v1/marginAccount`, weight 3; replaces the retired
   * `/eapi/v1/account` that python-binance's `options_account_info` calls).
   *
   * @param options Abort signal.
   * @returns Balances, margins and Greeks per underlying.
   */
  optionsMarginAccountInfo(options?: CallOptions): Promise<OptionsMarginAccount> {
    return this.call(MARGIN_ACCOUNT, options);
  }
}
