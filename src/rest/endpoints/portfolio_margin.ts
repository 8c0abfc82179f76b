/**
 * Portfolio margin endpoints (`/papi/v1`): the unified account and balances, UM (USDⓈ-M) and CM
 * (COIN-M) orders, and cross-margin loans. Order placements carry a client order id and are never
 * retried blindly (like every order endpoint of the client).
 *
 * @module
 */
import { ep, orderEp } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import type { FuturesOrder } from "../types_futures.ts";
import { ConvertClient } from "./convert.ts";
import type { FuturesOrderOptions, FuturesOrderRefOptions } from "./futures.ts";
import type { Decimal } from "./spot_trading.ts";

/** The portfolio-margin account (`GET /papi/v1/account`; amounts in USD). */
export interface PortfolioMarginAccount {
  /** Uni MMR. */
  readonly uniMMR: string;
  /** Account equity. */
  readonly accountEquity: string;
  /** Actual equity. */
  readonly actualEquity: string;
  /** Account initial margin. */
  readonly accountInitialMargin: string;
  /** Account maint margin. */
  readonly accountMaintMargin: string;
  /** Account status. */
  readonly accountStatus: string;
  /** Virtual max withdraw amount. */
  readonly virtualMaxWithdrawAmount: string;
  /** Total available balance. */
  readonly totalAvailableBalance: string;
  /** Total margin open loss. */
  readonly totalMarginOpenLoss: string;
  /** Update time (epoch ms). */
  readonly updateTime: number;
}

/** One asset of `GET /papi/v1/balance`. */
export interface PortfolioMarginBalance {
  /** Asset. */
  readonly asset: string;
  /** Total wallet balance. */
  readonly totalWalletBalance: string;
  /** Cross margin asset. */
  readonly crossMarginAsset: string;
  /** Cross margin borrowed. */
  readonly crossMarginBorrowed: string;
  /** Cross margin free. */
  readonly crossMarginFree: string;
  /** Cross margin interest. */
  readonly crossMarginInterest: string;
  /** Cross margin locked. */
  readonly crossMarginLocked: string;
  /** Um wallet balance. */
  readonly umWalletBalance: string;
  /** Um unrealized PNL. */
  readonly umUnrealizedPNL: string;
  /** Cm wallet balance. */
  readonly cmWalletBalance: string;
  /** Cm unrealized PNL. */
  readonly cmUnrealizedPNL: string;
  /** Update time (epoch ms). */
  readonly updateTime: number;
  /** Negative balance. */
  readonly negativeBalance: string;
}

/** Asset and amount of a loan or repayment. */
export interface LoanOptions extends CallOptions {
  /** Asset. */
  readonly asset: string;
  /** Amount. */
  readonly amount: Decimal;
}

const ACCOUNT = ep("GET", "papi", "/papi/v1/account", "SIGNED", 20);
const BALANCE = ep("GET", "papi", "/papi/v1/balance", "SIGNED", 20);
const LOAN = ep("POST", "papi", "/papi/v1/marginLoan", "SIGNED", 100);
const REPAY = ep("POST", "papi", "/papi/v1/repayLoan", "SIGNED", 100);
const ORDER = { um: orderEp("papi", "/papi/v1/um/order"), cm: orderEp("papi", "/papi/v1/cm/order") } as const;
const ref = (kind: "um" | "cm", method: "GET" | "DELETE") =>
  ep(method, "papi", `/papi/v1/${kind}/order`, "SIGNED", 1);
const OPEN = (kind: "um" | "cm", all: boolean) =>
  ep("GET", "papi", `/papi/v1/${kind}/openOrders`, "SIGNED", all ? 40 : 1);

/**
 * Portfolio-margin methods.
 *
 * @example A UM order on a portfolio-margin account (against the emulator)
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BinanceRestClient } from "../client.ts";
 * import { startEmulator } from "../../testing/mod.ts";
 *
 * const emu = await startEmulator({ paused: true, accounts: [{ apiKey: "k", secretKey: "s" }] });
 * try {
 *   const client = new BinanceRestClient({
 *     exchange: "binance.com-portfolio_margin",
 *     baseUrl: emu.restUrl,
 *     apiKey: "k",
 *     apiSecret: "s",
 *   });
 *   const order = await client.papiCreateUmOrder({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.01" });
 *   assertEquals(order.status, "FILLED");
 *   assertEquals((await client.papiGetAccount()).accountStatus, "NORMAL");
 * } finally {
 *   await emu.close();
 * }
 * ```
 */
export class PortfolioMarginClient extends ConvertClient {
  /**
   * The portfolio-margin account (`GET /papi/v1/account`, weight 20). Python (python-binance):
   * `papi_get_account`.
   *
   * @param options Abort signal.
   * @returns uniMMR, equity and margins in USD.
   */
  papiGetAccount(options?: CallOptions): Promise<PortfolioMarginAccount> {
    return this.call(ACCOUNT, options);
  }

  /**
   * Balances across cross margin, UM and CM (`GET /papi/v1/balance`, weight 20). Python
   * (python-binance): `papi_get_balance`.
   *
   * @param options `asset` (then one object instead of a list).
   * @returns The balances.
   */
  papiGetBalance(options?: CallOptions): Promise<PortfolioMarginBalance[]>;
  /**
   * One asset's portfolio-margin balance (`GET /papi/v1/balance?asset=…`).
   *
   * @param options `asset`.
   * @returns The balance of that asset.
   */
  papiGetBalance(options: CallOptions & { readonly asset: string }): Promise<PortfolioMarginBalance>;
  papiGetBalance(
    options?: CallOptions & { readonly asset?: string },
  ): Promise<PortfolioMarginBalance[] | PortfolioMarginBalance> {
    return this.call(BALANCE, options);
  }

  /**
   * Places a UM order (`POST /papi/v1/um/order`). Python (python-binance): `papi_create_um_order`.
   *
   * @param options Order parameters (as on `/fapi/v1/order`).
   * @returns The order.
   */
  papiCreateUmOrder(options: FuturesOrderOptions): Promise<FuturesOrder> {
    return this.call(ORDER.um, options);
  }

  /**
   * Cancels a UM order (`DELETE /papi/v1/um/order`). Python (python-binance): `papi_cancel_um_order`.
   *
   * @param options `symbol` and `orderId` or `origClientOrderId`.
   * @returns The canceled order.
   */
  papiCancelUmOrder(options: FuturesOrderRefOptions): Promise<FuturesOrder> {
    return this.call(ref("um", "DELETE"), options);
  }

  /**
   * Queries a UM order (`GET /papi/v1/um/order`). Python (python-binance): `papi_get_um_order`.
   *
   * @param options `symbol` and `orderId` or `origClientOrderId`.
   * @returns The order.
   */
  papiGetUmOrder(options: FuturesOrderRefOptions): Promise<FuturesOrder> {
    return this.call(ref("um", "GET"), options);
  }

  /**
   * Open UM orders (`GET /papi/v1/um/openOrders`, weight 1 with `symbol`, else 40). Python
   * (python-binance): `papi_get_um_open_orders`.
   *
   * @param options `symbol`.
   * @returns Orders.
   */
  papiGetUmOpenOrders(options?: CallOptions & { readonly symbol?: string }): Promise<FuturesOrder[]> {
    return this.call(OPEN("um", !options?.symbol), options);
  }

  /**
   * Places a CM order (`POST /papi/v1/cm/order`). Python (python-binance): `papi_create_cm_order`.
   *
   * @param options Order parameters (as on `/dapi/v1/order`; `quantity` in contracts).
   * @returns The order.
   */
  papiCreateCmOrder(options: FuturesOrderOptions): Promise<FuturesOrder> {
    return this.call(ORDER.cm, options);
  }

  /**
   * Cancels a CM order (`DELETE /papi/v1/cm/order`). Python (python-binance): `papi_cancel_cm_order`.
   *
   * @param options `symbol` and `orderId` or `origClientOrderId`.
   * @returns The canceled order.
   */
  papiCancelCmOrder(options: FuturesOrderRefOptions): Promise<FuturesOrder> {
    return this.call(ref("cm", "DELETE"), options);
  }

  /**
   * Queries a CM order (`GET /papi/v1/cm/order`). Python (python-binance): `papi_get_cm_order`.
   *
   * @param options `symbol` and `orderId` or `origClientOrderId`.
   * @returns The order.
   */
  papiGetCmOrder(options: FuturesOrderRefOptions): Promise<FuturesOrder> {
    return this.call(ref("cm", "GET"), options);
  }

  /**
   * Open CM orders (`GET /papi/v1/cm/openOrders`, weight 1 with `symbol`, else 40). Python
   * (python-binance): `papi_get_cm_open_orders`.
   *
   * @param options `symbol`.
   * @returns Orders.
   */
  papiGetCmOpenOrders(options?: CallOptions & { readonly symbol?: string }): Promise<FuturesOrder[]> {
    return this.call(OPEN("cm", !options?.symbol), options);
  }

  /**
   * Borrows into cross margin (`POST /papi/v1/marginLoan`, weight 100). Python (python-binance):
   * `papi_margin_loan`. Not retried: check the balance after a timeout.
   *
   * @param options `asset`, `amount`.
   * @returns `{ tranId }`.
   */
  papiMarginLoan(options: LoanOptions): Promise<{ readonly tranId: number }> {
    return this.call(LOAN, options);
  }

  /**
   * Repays a cross-margin loan (`POST /papi/v1/repayLoan`, weight 100). Python (python-binance):
   * `papi_repay_loan`.
   *
   * @param options `asset`, `amount`.
   * @returns `{ tranId }`.
   */
  papiRepayLoan(options: LoanOptions): Promise<{ readonly tranId: number }> {
    return this.call(REPAY, options);
  }
}
