/**
 * Sub-account endpoints of a master account (`/sapi/*\/sub-account/*`: list, virtual
 * sub-accounts, universal transfer and its history, assets, API key IP restrictions) and the API
 * key permission query (`GET /sapi/v1/account/apiRestrictions`).
 *
 * @module
 */
import { ep } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import type { Decimal } from "./spot_trading.ts";
import { WalletClient } from "./wallet.ts";

/** One sub-account of `GET /sapi/v1/sub-account/list`. */
export interface SubAccountInfo {
  /** Email. */
  readonly email: string;
  /** Is freeze. */
  readonly isFreeze: boolean;
  /** Create time (epoch ms). */
  readonly createTime: number;
  /** Is managed sub account. */
  readonly isManagedSubAccount: boolean;
  /** Is asset management sub account. */
  readonly isAssetManagementSubAccount: boolean;
}

/** The wallets a sub-account universal transfer moves between. */
export type SubAccountType = "SPOT" | "USDT_FUTURE" | "COIN_FUTURE" | "MARGIN" | "ISOLATED_MARGIN";

/** Parameters of {@link SubAccountClient.makeUniversalTransfer}. */
export interface SubAccountTransferOptions extends CallOptions {
  /** Source sub-account (the master when absent; one of the two emails is needed). */
  readonly fromEmail?: string;
  /** Target sub-account (the master when absent). */
  readonly toEmail?: string;
  /** Source wallet. */
  readonly fromAccountType: SubAccountType;
  /** Target wallet. */
  readonly toAccountType: SubAccountType;
  /** Your id of the transfer (unique). */
  readonly clientTranId?: string;
  /** Isolated-margin symbol (`ISOLATED_MARGIN` only). */
  readonly symbol?: string;
  /** Asset. */
  readonly asset: string;
  /** Amount. */
  readonly amount: Decimal;
}

/** One row of {@link SubAccountClient.getUniversalTransferHistory}. */
export interface SubAccountTransfer {
  /** Tran id. */
  readonly tranId: number;
  /** From email. */
  readonly fromEmail: string;
  /** To email. */
  readonly toEmail: string;
  /** Asset. */
  readonly asset: string;
  /** Amount. */
  readonly amount: string;
  /** Create time stamp (epoch ms). */
  readonly createTimeStamp: number;
  /** From account type. */
  readonly fromAccountType: string;
  /** To account type. */
  readonly toAccountType: string;
  /** Status. */
  readonly status: string;
  /** Client tran id. */
  readonly clientTranId: string;
}

/** One asset of `GET /sapi/v4/sub-account/assets`. */
export interface SubAccountBalance {
  /** Asset. */
  readonly asset: string;
  /** Free. */
  readonly free: string;
  /** Locked. */
  readonly locked: string;
  /** Freeze. */
  readonly freeze: string;
  /** Withdrawing. */
  readonly withdrawing: string;
}

/** The IP restriction of a sub-account API key. */
export interface ApiIpRestriction {
  /** `"true"` when only the listed IPs may use the key. */
  readonly ipRestrict: string;
  /** Ip list. */
  readonly ipList: readonly string[];
  /** Update time (epoch ms). */
  readonly updateTime: number;
  /** Api key. */
  readonly apiKey: string;
}

/** What the calling API key may do (`GET /sapi/v1/account/apiRestrictions`). */
export interface ApiKeyPermissions {
  /** Ip restrict. */
  readonly ipRestrict: boolean;
  /** Create time (epoch ms). */
  readonly createTime: number;
  /** Enable reading. */
  readonly enableReading: boolean;
  /** Enable spot and margin trading. */
  readonly enableSpotAndMarginTrading: boolean;
  /** Enable withdrawals. */
  readonly enableWithdrawals: boolean;
  /** Enable internal transfer. */
  readonly enableInternalTransfer: boolean;
  /** Enable margin. */
  readonly enableMargin: boolean;
  /** Enable futures. */
  readonly enableFutures: boolean;
  /** Permits universal transfer. */
  readonly permitsUniversalTransfer: boolean;
  /** Enable vanilla options. */
  readonly enableVanillaOptions: boolean;
  /** Enable portfolio margin trading. */
  readonly enablePortfolioMarginTrading?: boolean;
  /** Enable fix api trade. */
  readonly enableFixApiTrade?: boolean;
  /** Enable fix read only. */
  readonly enableFixReadOnly?: boolean;
  /** Trading authority expiration time (epoch ms). */
  readonly tradingAuthorityExpirationTime?: number;
}

/** A sub-account and one of its API keys. */
export interface SubKeyOptions extends CallOptions {
  /** Sub-account email. */
  readonly email: string;
  /** The sub-account's API key. */
  readonly subAccountApiKey: string;
}

const LIST = ep("GET", "sapi", "/sapi/v1/sub-account/list", "SIGNED", 1);
const VIRTUAL = ep("POST", "sapi", "/sapi/v1/sub-account/virtualSubAccount", "SIGNED", 1);
const TRANSFER = ep("POST", "sapi", "/sapi/v1/sub-account/universalTransfer", "SIGNED", 360);
const TRANSFER_HISTORY = ep("GET", "sapi", "/sapi/v1/sub-account/universalTransfer", "SIGNED", 1);
const ASSETS = ep("GET", "sapi", "/sapi/v4/sub-account/assets", "SIGNED", 60);
const IP_GET = ep("GET", "sapi", "/sapi/v1/sub-account/subAccountApi/ipRestriction", "SIGNED", 3000);
const IP_ADD = ep("POST", "sapi", "/sapi/v2/sub-account/subAccountApi/ipRestriction", "SIGNED", 3000);
const IP_DELETE = ep(
  "DELETE",
  "sapi",
  "/sapi/v1/sub-account/subAccountApi/ipRestriction/ipList",
  "SIGNED",
  3000,
);
const API_PERMISSIONS = ep("GET", "sapi", "/sapi/v1/account/apiRestrictions", "SIGNED", 1);

/**
 * Sub-account methods (master account keys) and the API key permission query.
 *
 * @example A master moves USDT to a virtual sub-account (against the emulator)
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BinanceRestClient } from "../client.ts";
 * import { startEmulator } from "../../testing/mod.ts";
 *
 * const emu = await startEmulator({ paused: true, accounts: [{ apiKey: "master", secretKey: "s" }] });
 * try {
 *   const client = new BinanceRestClient({ baseUrl: emu.restUrl, apiKey: "master", apiSecret: "s" });
 *   const { email } = await client.createVirtualSubAccount({ subAccountString: "bots" });
 *   await client.makeUniversalTransfer({
 *     toEmail: email,
 *     fromAccountType: "SPOT",
 *     toAccountType: "SPOT",
 *     asset: "USDT",
 *     amount: "25",
 *   });
 *   const { balances } = await client.getSubAccountAssets({ email });
 *   assertEquals(balances.map((b) => [b.asset, b.free]), [["USDT", "25"]]);
 * } finally {
 *   await emu.close();
 * }
 * ```
 */
export class SubAccountClient extends WalletClient {
  /**
   * The master's sub-accounts (`GET /sapi/v1/sub-account/list`). Python: `get_sub_account_list`.
   * Binance returns one per page unless `limit` (up to 200) says otherwise.
   *
   * @param options `email`, `isFreeze`, `page`, `limit`.
   * @returns `{ subAccounts }`.
   */
  getSubAccountList(
    options?: CallOptions & {
      readonly email?: string;
      readonly isFreeze?: boolean;
      readonly page?: number;
      readonly limit?: number;
    },
  ): Promise<{ readonly subAccounts: readonly SubAccountInfo[] }> {
    return this.call(LIST, options);
  }

  /**
   * Creates a virtual sub-account (`POST /sapi/v1/sub-account/virtualSubAccount`).
   *
   * @param options `subAccountString`: the name Binance builds the virtual email from.
   * @returns `{ email }` of the new sub-account.
   */
  createVirtualSubAccount(
    options: CallOptions & { readonly subAccountString: string },
  ): Promise<{ readonly email: string }> {
    return this.call(VIRTUAL, options);
  }

  /**
   * Moves an asset between the wallets of the master and its sub-accounts
   * (`POST /sapi/v1/sub-account/universalTransfer`, UID weight 360). Python: `make_universal_transfer`.
   *
   * @param options `fromEmail` / `toEmail`, account types, `asset`, `amount`, `clientTranId`.
   * @returns `{ tranId, clientTranId }`.
   */
  makeUniversalTransfer(
    options: SubAccountTransferOptions,
  ): Promise<{ readonly tranId: number; readonly clientTranId: string }> {
    return this.call(TRANSFER, options);
  }

  /**
   * Sub-account universal transfers, newest first (`GET /sapi/v1/sub-account/universalTransfer`).
   * Python: `get_universal_transfer_history`.
   *
   * @param options `fromEmail` or `toEmail` (not both), `clientTranId`, times, `page`, `limit`.
   * @returns `{ result, totalCount }`.
   */
  getUniversalTransferHistory(
    options?: CallOptions & {
      readonly fromEmail?: string;
      readonly toEmail?: string;
      readonly clientTranId?: string;
      readonly startTime?: number;
      readonly endTime?: number;
      readonly page?: number;
      readonly limit?: number;
    },
  ): Promise<{ readonly result: readonly SubAccountTransfer[]; readonly totalCount: number }> {
    return this.call(TRANSFER_HISTORY, options);
  }

  /**
   * A sub-account's spot assets (`GET /sapi/v4/sub-account/assets`, UID weight 60). Python:
   * `get_sub_account_assets` (which called the older `/sapi/v3` path).
   *
   * @param options `email`.
   * @returns `{ balances }`.
   */
  getSubAccountAssets(
    options: CallOptions & { readonly email: string },
  ): Promise<{ readonly balances: readonly SubAccountBalance[] }> {
    return this.call(ASSETS, options);
  }

  /**
   * The IP restriction of a sub-account API key
   * (`GET /sapi/v1/sub-account/subAccountApi/ipRestriction`, UID weight 3000).
   *
   * @param options `email`, `subAccountApiKey`.
   * @returns `{ ipRestrict, ipList, updateTime, apiKey }`.
   */
  getSubAccountApiIpRestriction(options: SubKeyOptions): Promise<ApiIpRestriction> {
    return this.call(IP_GET, options);
  }

  /**
   * Sets the IP restriction of a sub-account API key and adds IPs to its list
   * (`POST /sapi/v2/sub-account/subAccountApi/ipRestriction`, UID weight 3000).
   *
   * @param options `email`, `subAccountApiKey`, `status` (`"1"` unrestricted, `"2"` trusted IPs
   * only), `ipAddress` (comma-separated).
   * @returns `{ status, ipList, updateTime, apiKey }`.
   */
  addSubAccountApiIpRestriction(
    options: SubKeyOptions & { readonly status: "1" | "2"; readonly ipAddress?: string },
  ): Promise<Omit<ApiIpRestriction, "ipRestrict"> & { readonly status: string }> {
    return this.call(IP_ADD, options);
  }

  /**
   * Removes IPs from a sub-account API key's list
   * (`DELETE /sapi/v1/sub-account/subAccountApi/ipRestriction/ipList`, UID weight 3000).
   *
   * @param options `email`, `subAccountApiKey`, `ipAddress` (comma-separated).
   * @returns The remaining restriction.
   */
  deleteSubAccountApiIpRestriction(
    options: SubKeyOptions & { readonly ipAddress: string },
  ): Promise<ApiIpRestriction> {
    return this.call(IP_DELETE, options);
  }

  /**
   * What the client's API key may do (`GET /sapi/v1/account/apiRestrictions`). Python
   * (python-binance): `get_account_api_permissions`.
   *
   * @param options Abort signal.
   * @returns The permissions.
   */
  getAccountApiPermissions(options?: CallOptions): Promise<ApiKeyPermissions> {
    return this.call(API_PERMISSIONS, options);
  }
}
