/**
 * USDⓈ-M (`/fapi`) account and positions: balance, account, position risk, leverage (and its
 * brackets), margin type, position margin, position mode, income, trades, commission rate and the
 * listenKey (create / keep-alive / close, API key only).
 *
 * @module
 */
import { ep } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import type {
  Ack,
  FuturesAccount,
  FuturesBalance,
  FuturesPosition,
  FuturesTrade,
  Income,
  LeverageResult,
  PositionMode,
} from "../types_futures.ts";
import type { ListenKey } from "../types_account.ts";
import { FuturesClient, type FuturesHistoryOptions, type IncomeOptions } from "./futures.ts";
import type { Decimal } from "./spot_trading.ts";

/** Position-margin change parameters. */
export interface PositionMarginOptions extends CallOptions {
  /** Symbol. */
  readonly symbol: string;
  /** `BOTH`, `LONG`, `SHORT`. */
  readonly positionSide?: string;
  /** Amount. */
  readonly amount: Decimal;
  /** 1: add, 2: reduce. */
  readonly type: 1 | 2;
}

/** USDⓈ-M account and position methods. */
export class FuturesAccountClient extends FuturesClient {
  #s(method: "GET" | "POST" | "PUT" | "DELETE", path: string, weight = 1) {
    return ep(method, "fapi", "/fapi/v1" + path, "SIGNED", weight);
  }

  #listenKey(
    method: "POST" | "PUT" | "DELETE",
    options?: CallOptions,
  ): Promise<ListenKey | Record<string, never>> {
    return this.call(ep(method, "fapi", "/fapi/v1/listenKey", "API_KEY", 1), options);
  }

  /**
   * USDⓈ-M balances (`GET /fapi/v2/balance`). Python: `futures_account_balance`.
   *
   * @param options Abort signal.
   * @returns Balances.
   */
  futuresAccountBalance(options?: CallOptions): Promise<FuturesBalance[]> {
    return this.call(ep("GET", "fapi", "/fapi/v2/balance", "SIGNED", 5), options);
  }

  /**
   * USDⓈ-M account (`GET /fapi/v2/account`). Python: `futures_account`.
   *
   * @param options Abort signal.
   * @returns The account.
   */
  futuresAccount(options?: CallOptions): Promise<FuturesAccount> {
    return this.call(ep("GET", "fapi", "/fapi/v2/account", "SIGNED", 5), options);
  }

  /**
   * USDⓈ-M positions (`GET /fapi/v2/positionRisk`). Python: `futures_position_information`.
   *
   * @param options `symbol`.
   * @returns Positions.
   */
  futuresPositionInformation(
    options?: CallOptions & { readonly symbol?: string },
  ): Promise<FuturesPosition[]> {
    return this.call(ep("GET", "fapi", "/fapi/v2/positionRisk", "SIGNED", 5), options);
  }

  /**
   * Sets USDⓈ-M leverage (`POST /fapi/v1/leverage`). Python: `futures_change_leverage`.
   *
   * @param options `symbol`, `leverage` (1–125).
   * @returns The new leverage.
   */
  futuresChangeLeverage(
    options: CallOptions & { readonly symbol: string; readonly leverage: number },
  ): Promise<LeverageResult> {
    return this.call(this.#s("POST", "/leverage"), options);
  }

  /**
   * Sets USDⓈ-M margin type (`POST /fapi/v1/marginType`). Python: `futures_change_margin_type`.
   *
   * @param options `symbol`, `marginType` (`ISOLATED`/`CROSSED`).
   * @returns `{ code: 200, msg }`.
   */
  futuresChangeMarginType(
    options: CallOptions & { readonly symbol: string; readonly marginType: "ISOLATED" | "CROSSED" },
  ): Promise<Ack> {
    return this.call(this.#s("POST", "/marginType"), options);
  }

  /**
   * Sets USDⓈ-M position mode (`POST /fapi/v1/positionSide/dual`). Python: `futures_change_position_mode`.
   *
   * @param options `dualSidePosition` (`true` = hedge mode).
   * @returns `{ code: 200, msg }`.
   */
  futuresChangePositionMode(options: CallOptions & { readonly dualSidePosition: boolean }): Promise<Ack> {
    return this.call(this.#s("POST", "/positionSide/dual"), options);
  }

  /**
   * USDⓈ-M position mode (`GET /fapi/v1/positionSide/dual`). Python: `futures_get_position_mode`.
   *
   * @param options Abort signal.
   * @returns `{ dualSidePosition }`.
   */
  futuresGetPositionMode(options?: CallOptions): Promise<PositionMode> {
    return this.call(this.#s("GET", "/positionSide/dual", 30), options);
  }

  /**
   * USDⓈ-M income history (`GET /fapi/v1/income`). Python: `futures_income_history`.
   *
   * @param options `symbol`, `incomeType`, times, `limit`.
   * @returns Income entries.
   */
  futuresIncomeHistory(options?: IncomeOptions): Promise<Income[]> {
    return this.call(this.#s("GET", "/income", 30), options);
  }

  /**
   * USDⓈ-M own trades (`GET /fapi/v1/userTrades`). Python: `futures_account_trades`.
   *
   * @param options `symbol`, `orderId`, times, `fromId`, `limit`.
   * @returns Trades.
   */
  futuresAccountTrades(
    options: FuturesHistoryOptions & { readonly symbol: string },
  ): Promise<FuturesTrade[]> {
    return this.call(this.#s("GET", "/userTrades", 5), options);
  }

  /**
   * USDⓈ-M commission rate (`GET /fapi/v1/commissionRate`). Python: `futures_commission_rate`.
   *
   * @param options `symbol`.
   * @returns `{ symbol, makerCommissionRate, takerCommissionRate }`.
   */
  futuresCommissionRate(options: CallOptions & { readonly symbol: string }): Promise<Record<string, string>> {
    return this.call(this.#s("GET", "/commissionRate", 20), options);
  }

  /**
   * Creates (or returns the active) USDⓈ-M listenKey (`POST /fapi/v1/listenKey`, API key only).
   * Python: `futures_stream_get_listen_key`.
   *
   * @param options Abort signal.
   * @returns The listenKey (a secret).
   */
  async futuresStreamGetListenKey(options?: CallOptions): Promise<string> {
    return ((await this.#listenKey("POST", options)) as ListenKey).listenKey;
  }

  /**
   * Extends the USDⓈ-M listenKey by 60 min (`PUT /fapi/v1/listenKey`). Python: `futures_stream_keepalive`.
   *
   * @param options Abort signal.
   * @returns Resolves when Binance accepted it.
   */
  async futuresStreamKeepalive(options?: CallOptions): Promise<void> {
    await this.#listenKey("PUT", options);
  }

  /**
   * Closes the USDⓈ-M listenKey (`DELETE /fapi/v1/listenKey`). Python: `futures_stream_close`.
   *
   * @param options Abort signal.
   * @returns Resolves when Binance accepted it.
   */
  async futuresStreamClose(options?: CallOptions): Promise<void> {
    await this.#listenKey("DELETE", options);
  }

  /**
   * Notional and leverage brackets (`GET /fapi/v1/leverageBracket`). Python: `futures_leverage_bracket`.
   *
   * @param options `symbol`.
   * @returns Brackets per symbol.
   */
  futuresLeverageBracket(
    options?: CallOptions & { readonly symbol?: string },
  ): Promise<Record<string, unknown>[]> {
    return this.call(this.#s("GET", "/leverageBracket"), options);
  }

  /**
   * Adds or reduces isolated position margin (`POST /fapi/v1/positionMargin`).
   * Python: `futures_change_position_margin`.
   *
   * @param options `symbol`, `positionSide`, `amount`, `type` (1 add, 2 reduce).
   * @returns `{ amount, code, msg, type }`.
   */
  futuresChangePositionMargin(options: PositionMarginOptions): Promise<Record<string, unknown>> {
    return this.call(this.#s("POST", "/positionMargin"), options);
  }

  /**
   * Position-margin changes (`GET /fapi/v1/positionMargin/history`). Python: `futures_position_margin_history`.
   *
   * @param options `symbol`, `type`, times, `limit`.
   * @returns Changes.
   */
  futuresPositionMarginHistory(
    options: CallOptions & {
      readonly symbol: string;
      readonly type?: 1 | 2;
      readonly startTime?: number;
      readonly endTime?: number;
      readonly limit?: number;
    },
  ): Promise<Record<string, unknown>[]> {
    return this.call(this.#s("GET", "/positionMargin/history"), options);
  }
}
