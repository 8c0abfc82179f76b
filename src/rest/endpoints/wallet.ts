/**
 * Wallet endpoints (`/sapi`: system status, coins, deposit address and history, withdrawals,
 * asset detail, universal transfer, account snapshot, trade fee) and the listenKey endpoints of
 * the venues that still use one (Binance.US / TR spot, options, portfolio margin).
 *
 * @module
 */
import type { RestFamily } from "../../core/exchanges.ts";
import { ep } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import type {
  AccountSnapshot,
  CoinInfo,
  DepositAddress,
  ListenKey,
  SystemStatus,
  TransactionId,
  TransferRecord,
} from "../types_account.ts";
import { CoinFuturesClient } from "./coin_futures.ts";
import type { Decimal } from "./spot_trading.ts";

/** Time-range and paging parameters of wallet histories. */
export interface WalletHistoryOptions extends CallOptions {
  /** Coin. */
  readonly coin?: string;
  /** Status filter. */
  readonly status?: number;
  /** Start time (ms). */
  readonly startTime?: number;
  /** End time (ms). */
  readonly endTime?: number;
  /** Offset. */
  readonly offset?: number;
  /** Number of entries. */
  readonly limit?: number;
}

/** Universal-transfer parameters. */
export interface UniversalTransferOptions extends CallOptions {
  /** Transfer type, e.g. `MAIN_UMFUTURE`, `MAIN_MARGIN`, `UMFUTURE_MAIN`. */
  readonly type: string;
  /** Asset. */
  readonly asset: string;
  /** Amount. */
  readonly amount: Decimal;
  /** Isolated margin source symbol. */
  readonly fromSymbol?: string;
  /** Isolated margin target symbol. */
  readonly toSymbol?: string;
}

const SYSTEM_STATUS = ep("GET", "sapi", "/sapi/v1/system/status");
const ALL_COINS = ep("GET", "sapi", "/sapi/v1/capital/config/getall", "SIGNED", 10);
const DEPOSIT_ADDRESS = ep("GET", "sapi", "/sapi/v1/capital/deposit/address", "SIGNED", 10);
const DEPOSIT_HISTORY = ep("GET", "sapi", "/sapi/v1/capital/deposit/hisrec", "SIGNED", 1);
const WITHDRAW_HISTORY = ep("GET", "sapi", "/sapi/v1/capital/withdraw/history", "SIGNED", 18000);
const WITHDRAW = ep("POST", "sapi", "/sapi/v1/capital/withdraw/apply", "SIGNED", 600);
const ASSET_DETAIL = ep("GET", "sapi", "/sapi/v1/asset/assetDetail", "SIGNED", 1);
const TRADE_FEE = ep("GET", "sapi", "/sapi/v1/asset/tradeFee", "SIGNED", 1);
const TRANSFER = ep("POST", "sapi", "/sapi/v1/asset/transfer", "SIGNED", 900);
const TRANSFER_HISTORY = ep("GET", "sapi", "/sapi/v1/asset/transfer", "SIGNED", 1);
const SNAPSHOT = ep("GET", "sapi", "/sapi/v1/accountSnapshot", "SIGNED", 2400);
const ACCOUNT_STATUS = ep("GET", "sapi", "/sapi/v1/account/status", "SIGNED", 1);

/** Wallet and listenKey methods. */
export class WalletClient extends CoinFuturesClient {
  /**
   * System status (`GET /sapi/v1/system/status`). Python: `get_system_status`.
   *
   * @param options Abort signal.
   * @returns `{ status, msg }` (0 = normal).
   */
  getSystemStatus(options?: CallOptions): Promise<SystemStatus> {
    return this.call(SYSTEM_STATUS, options);
  }

  /**
   * Account status (`GET /sapi/v1/account/status`). Python: `get_account_status`.
   *
   * @param options Abort signal.
   * @returns `{ data }`.
   */
  getAccountStatus(options?: CallOptions): Promise<{ readonly data: string }> {
    return this.call(ACCOUNT_STATUS, options);
  }

  /**
   * All coins with networks and balances (`GET /sapi/v1/capital/config/getall`). Python: `get_all_coins_info`.
   *
   * @param options Abort signal.
   * @returns Coins.
   */
  getAllCoinsInfo(options?: CallOptions): Promise<CoinInfo[]> {
    return this.call(ALL_COINS, options);
  }

  /**
   * Deposit address (`GET /sapi/v1/capital/deposit/address`). Python: `get_deposit_address`.
   *
   * @param options `coin`, `network`.
   * @returns The address.
   */
  getDepositAddress(
    options: CallOptions & { readonly coin: string; readonly network?: string },
  ): Promise<DepositAddress> {
    return this.call(DEPOSIT_ADDRESS, options);
  }

  /**
   * Deposit history (`GET /sapi/v1/capital/deposit/hisrec`). Python: `get_deposit_history`.
   *
   * @param options `coin`, `status`, times, `offset`, `limit`.
   * @returns Deposits.
   */
  getDepositHistory(options?: WalletHistoryOptions): Promise<TransferRecord[]> {
    return this.call(DEPOSIT_HISTORY, options);
  }

  /**
   * Withdrawal history (`GET /sapi/v1/capital/withdraw/history`). Python: `get_withdraw_history`.
   *
   * @param options `coin`, `status`, times, `offset`, `limit`, `withdrawOrderId`, `idList`.
   * @returns Withdrawals.
   */
  getWithdrawHistory(
    options?: WalletHistoryOptions & { readonly withdrawOrderId?: string; readonly idList?: string },
  ): Promise<TransferRecord[]> {
    return this.call(WITHDRAW_HISTORY, options);
  }

  /**
   * Submits a withdrawal (`POST /sapi/v1/capital/withdraw/apply`). Python: `withdraw`. Not
   * retried: a timeout leaves it unknown, check `getWithdrawHistory({ withdrawOrderId })`.
   *
   * @param options `coin`, `address`, `amount`, `network`, `addressTag`, `withdrawOrderId`, …
   * @returns `{ id }`.
   */
  withdraw(
    options: CallOptions & {
      readonly coin: string;
      readonly address: string;
      readonly amount: Decimal;
      readonly network?: string;
      readonly addressTag?: string;
      readonly withdrawOrderId?: string;
      readonly transactionFeeFlag?: boolean;
      readonly name?: string;
    },
  ): Promise<{ readonly id: string }> {
    return this.call(WITHDRAW, options);
  }

  /**
   * Asset details (`GET /sapi/v1/asset/assetDetail`). Python: `get_asset_details`.
   *
   * @param options `asset`.
   * @returns Per asset: min withdraw amount, fee, status.
   */
  getAssetDetails(
    options?: CallOptions & { readonly asset?: string },
  ): Promise<Record<string, Record<string, unknown>>> {
    return this.call(ASSET_DETAIL, options);
  }

  /**
   * Trade fees (`GET /sapi/v1/asset/tradeFee`). Python: `get_trade_fee`.
   *
   * @param options `symbol`.
   * @returns `[{ symbol, makerCommission, takerCommission }]`.
   */
  getTradeFee(options?: CallOptions & { readonly symbol?: string }): Promise<Record<string, string>[]> {
    return this.call(TRADE_FEE, options);
  }

  /**
   * Universal transfer between wallets (`POST /sapi/v1/asset/transfer`). Python: `universal_transfer`.
   *
   * @param options `type`, `asset`, `amount`, isolated `fromSymbol`/`toSymbol`.
   * @returns `{ tranId }`.
   */
  universalTransfer(options: UniversalTransferOptions): Promise<TransactionId> {
    return this.call(TRANSFER, options);
  }

  /**
   * Universal-transfer history (`GET /sapi/v1/asset/transfer`). Python: `query_universal_transfer_history`.
   *
   * @param options `type`, times, `current`, `size`.
   * @returns `{ total, rows }`.
   */
  queryUniversalTransferHistory(
    options: CallOptions & {
      readonly type: string;
      readonly startTime?: number;
      readonly endTime?: number;
      readonly current?: number;
      readonly size?: number;
    },
  ): Promise<{ readonly total: number; readonly rows?: readonly Record<string, unknown>[] }> {
    return this.call(TRANSFER_HISTORY, options);
  }

  /**
   * Daily account snapshots (`GET /sapi/v1/accountSnapshot`, weight 2400). Python: `get_account_snapshot`.
   *
   * @param options `type` (`SPOT`, `MARGIN`, `FUTURES`), times, `limit`.
   * @returns The snapshots.
   */
  getAccountSnapshot(
    options: CallOptions & {
      readonly type: "SPOT" | "MARGIN" | "FUTURES";
      readonly startTime?: number;
      readonly endTime?: number;
      readonly limit?: number;
    },
  ): Promise<AccountSnapshot> {
    return this.call(SNAPSHOT, options);
  }

  // --- listenKey venues -------------------------------------------------------------------------

  #spotListenKey(method: "POST" | "PUT" | "DELETE", options: object | undefined): Promise<unknown> {
    const token = this.exchange.userDataToken;
    if (token?.path !== "/api/v3/userDataStream") {
      // Binance removed the spot listenKey on 2026-02-20; the WS-API subscription replaces it
      throw new RangeError(
        `Endpoint ${method} /api/v3/userDataStream is not served by exchange ${this.exchange.name} (user data: ${this.exchange.userData})`,
      );
    }
    return this.call(ep(method, "api", "/api/v3/userDataStream", "API_KEY", 2), options);
  }

  /**
   * Creates a spot listenKey (`POST /api/v3/userDataStream`) on Binance.US / TR only; binance.com
   * removed it (use the WS-API subscription). Python: `stream_get_listen_key`.
   *
   * @param options Abort signal.
   * @returns The listenKey (a secret).
   * @throws {RangeError} On venues without the endpoint (nothing is sent).
   */
  async streamGetListenKey(options?: CallOptions): Promise<string> {
    return ((await this.#spotListenKey("POST", options)) as ListenKey).listenKey;
  }

  /**
   * Extends a spot listenKey (`PUT /api/v3/userDataStream`). Python: `stream_keepalive`.
   *
   * @param options `listenKey`.
   * @returns Resolves when Binance accepted it.
   * @throws {RangeError} On venues without the endpoint.
   */
  async streamKeepalive(options: CallOptions & { readonly listenKey: string }): Promise<void> {
    await this.#spotListenKey("PUT", options);
  }

  /**
   * Closes a spot listenKey (`DELETE /api/v3/userDataStream`). Python: `stream_close`.
   *
   * @param options `listenKey`.
   * @returns Resolves when Binance accepted it.
   * @throws {RangeError} On venues without the endpoint.
   */
  async streamClose(options: CallOptions & { readonly listenKey: string }): Promise<void> {
    await this.#spotListenKey("DELETE", options);
  }

  #keyCall(family: RestFamily, path: string, method: "POST" | "PUT" | "DELETE", options?: CallOptions) {
    return this.call<ListenKey>(ep(method, family, path, "API_KEY", 1), options);
  }

  /**
   * Creates an options listenKey (`POST /eapi/v1/listenKey`).
   *
   * @param options Abort signal.
   * @returns The listenKey (a secret).
   */
  async optionsStreamGetListenKey(options?: CallOptions): Promise<string> {
    return (await this.#keyCall("eapi", "/eapi/v1/listenKey", "POST", options)).listenKey;
  }

  /**
   * Extends the options listenKey (`PUT /eapi/v1/listenKey`).
   *
   * @param options Abort signal.
   * @returns Resolves when Binance accepted it.
   */
  async optionsStreamKeepalive(options?: CallOptions): Promise<void> {
    await this.#keyCall("eapi", "/eapi/v1/listenKey", "PUT", options);
  }

  /**
   * Closes the options listenKey (`DELETE /eapi/v1/listenKey`).
   *
   * @param options Abort signal.
   * @returns Resolves when Binance accepted it.
   */
  async optionsStreamClose(options?: CallOptions): Promise<void> {
    await this.#keyCall("eapi", "/eapi/v1/listenKey", "DELETE", options);
  }

  /**
   * Creates a portfolio-margin listenKey (`POST /papi/v1/listenKey`). Python: `portfolio_margin_stream_get_listen_key`.
   *
   * @param options Abort signal.
   * @returns The listenKey (a secret).
   */
  async portfolioMarginStreamGetListenKey(options?: CallOptions): Promise<string> {
    return (await this.#keyCall("papi", "/papi/v1/listenKey", "POST", options)).listenKey;
  }

  /**
   * Extends the portfolio-margin listenKey (`PUT /papi/v1/listenKey`). Python: `portfolio_margin_stream_keepalive`.
   *
   * @param options Abort signal.
   * @returns Resolves when Binance accepted it.
   */
  async portfolioMarginStreamKeepalive(options?: CallOptions): Promise<void> {
    await this.#keyCall("papi", "/papi/v1/listenKey", "PUT", options);
  }

  /**
   * Closes the portfolio-margin listenKey (`DELETE /papi/v1/listenKey`). Python: `portfolio_margin_stream_close`.
   *
   * @param options Abort signal.
   * @returns Resolves when Binance accepted it.
   */
  async portfolioMarginStreamClose(options?: CallOptions): Promise<void> {
    await this.#keyCall("papi", "/papi/v1/listenKey", "DELETE", options);
  }
}
