/**
 * Simple Earn endpoints (`/sapi/v1/simple-earn/*`): flexible and locked product lists,
 * subscriptions, redemptions, positions and the account summary. They replace the retired
 * `/sapi/v1/lending/*` savings endpoints of the Python suite.
 *
 * @module
 */
import { ep } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import type { Decimal } from "./spot_trading.ts";
import { SubAccountClient } from "./sub_account.ts";

/** Paging of the Simple Earn lists (`current` from 1, `size` up to 100, default 10). */
export interface EarnPageOptions extends CallOptions {
  /** Asset filter. */
  readonly asset?: string;
  /** Page (from 1). */
  readonly current?: number;
  /** Rows per page (default 10, max 100). */
  readonly size?: number;
}

/** A page of rows. */
export interface EarnPage<T> {
  /** Rows. */
  readonly rows: readonly T[];
  /** Total. */
  readonly total: number;
}

/** A flexible product. */
export interface FlexibleProduct {
  /** Asset. */
  readonly asset: string;
  /** Product id. */
  readonly productId: string;
  /** Latest annual percentage rate. */
  readonly latestAnnualPercentageRate: string;
  /** Tier annual percentage rate. */
  readonly tierAnnualPercentageRate: Readonly<Record<string, string>>;
  /** Air drop percentage rate. */
  readonly airDropPercentageRate: string;
  /** Can purchase. */
  readonly canPurchase: boolean;
  /** Can redeem. */
  readonly canRedeem: boolean;
  /** Is sold out. */
  readonly isSoldOut: boolean;
  /** Hot. */
  readonly hot: boolean;
  /** Min purchase amount. */
  readonly minPurchaseAmount: string;
  /** Subscription start time (epoch ms). */
  readonly subscriptionStartTime: number;
  /** Status. */
  readonly status: string;
}

/** A locked product. */
export interface LockedProduct {
  /** Project id. */
  readonly projectId: string;
  /** Detail. */
  readonly detail: {
    readonly asset: string;
    readonly rewardAsset: string;
    readonly duration: number;
    readonly renewable: boolean;
    readonly isSoldOut: boolean;
    readonly apr: string;
    readonly status: string;
    readonly subscriptionStartTime: number;
    readonly extraRewardAsset?: string;
    readonly extraRewardAPR?: string;
  };
  /** Quota. */
  readonly quota: { readonly totalPersonalQuota: string; readonly minimum: string };
}

/** A flexible position. */
export interface FlexiblePosition {
  /** Asset. */
  readonly asset: string;
  /** Product id. */
  readonly productId: string;
  /** Total amount. */
  readonly totalAmount: string;
  /** Latest annual percentage rate. */
  readonly latestAnnualPercentageRate: string;
  /** Tier annual percentage rate. */
  readonly tierAnnualPercentageRate: Readonly<Record<string, string>>;
  /** Yesterday airdrop percentage rate. */
  readonly yesterdayAirdropPercentageRate: string;
  /** Air drop asset. */
  readonly airDropAsset: string;
  /** Can redeem. */
  readonly canRedeem: boolean;
  /** Collateral amount. */
  readonly collateralAmount: string;
  /** Yesterday real time rewards. */
  readonly yesterdayRealTimeRewards: string;
  /** Cumulative bonus rewards. */
  readonly cumulativeBonusRewards: string;
  /** Cumulative real time rewards. */
  readonly cumulativeRealTimeRewards: string;
  /** Cumulative total rewards. */
  readonly cumulativeTotalRewards: string;
  /** Auto subscribe. */
  readonly autoSubscribe: boolean;
}

/** A locked position (Binance sends most numbers as strings). */
export interface LockedPosition {
  /** Position id. */
  readonly positionId: number;
  /** Parent position id. */
  readonly parentPositionId?: number;
  /** Project id. */
  readonly projectId: string;
  /** Asset. */
  readonly asset: string;
  /** Amount. */
  readonly amount: string;
  /** Purchase time (epoch ms). */
  readonly purchaseTime: string;
  /** Duration. */
  readonly duration: string;
  /** Accrual days. */
  readonly accrualDays: string;
  /** Reward asset. */
  readonly rewardAsset: string;
  /** APY. */
  readonly APY: string;
  /** Reward amt. */
  readonly rewardAmt: string;
  /** Next pay date (epoch ms). */
  readonly nextPayDate: string;
  /** Redeem amount early. */
  readonly redeemAmountEarly: string;
  /** Rewards end date (epoch ms). */
  readonly rewardsEndDate: string;
  /** Deliver date (epoch ms). */
  readonly deliverDate: string;
  /** Redeem to. */
  readonly redeemTo: string;
  /** Can redeem early. */
  readonly canRedeemEarly: boolean;
  /** Auto subscribe. */
  readonly autoSubscribe: boolean;
  /** Type. */
  readonly type: string;
  /** Status. */
  readonly status: string;
  /** Further fields Binance sends. */
  readonly [field: string]: unknown;
}

/** The Simple Earn account summary. */
export interface SimpleEarnAccount {
  /** Total amount in BTC. */
  readonly totalAmountInBTC: string;
  /** Total amount in USDT. */
  readonly totalAmountInUSDT: string;
  /** Total flexible amount in BTC. */
  readonly totalFlexibleAmountInBTC: string;
  /** Total flexible amount in USDT. */
  readonly totalFlexibleAmountInUSDT: string;
  /** Total locked in BTC. */
  readonly totalLockedInBTC: string;
  /** Total locked in USDT. */
  readonly totalLockedInUSDT: string;
}

/** Where a subscription is paid from. */
export type EarnSourceAccount = "SPOT" | "FUND" | "ALL";

const P = "/sapi/v1/simple-earn";
const FLEX_LIST = ep("GET", "sapi", `${P}/flexible/list`, "SIGNED", 150);
const LOCKED_LIST = ep("GET", "sapi", `${P}/locked/list`, "SIGNED", 150);
const FLEX_SUBSCRIBE = ep("POST", "sapi", `${P}/flexible/subscribe`, "SIGNED", 1);
const LOCKED_SUBSCRIBE = ep("POST", "sapi", `${P}/locked/subscribe`, "SIGNED", 1);
const FLEX_REDEEM = ep("POST", "sapi", `${P}/flexible/redeem`, "SIGNED", 1);
const LOCKED_REDEEM = ep("POST", "sapi", `${P}/locked/redeem`, "SIGNED", 1);
const FLEX_POSITION = ep("GET", "sapi", `${P}/flexible/position`, "SIGNED", 150);
const LOCKED_POSITION = ep("GET", "sapi", `${P}/locked/position`, "SIGNED", 150);
const ACCOUNT = ep("GET", "sapi", `${P}/account`, "SIGNED", 150);

/**
 * Simple Earn methods. Subscriptions and redemptions are not retried blindly (Binance allows one
 * per 3 s per account and answers `-6009` sooner); a timeout leaves them unknown, check the
 * positions.
 *
 * @example Park USDT in a flexible product (against the emulator)
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BinanceRestClient } from "../client.ts";
 * import { startEmulator } from "../../testing/mod.ts";
 *
 * const emu = await startEmulator({ paused: true, accounts: [{ apiKey: "k", secretKey: "s" }] });
 * try {
 *   const client = new BinanceRestClient({ baseUrl: emu.restUrl, apiKey: "k", apiSecret: "s" });
 *   await client.subscribeSimpleEarnFlexibleProduct({ productId: "USDT001", amount: "500" });
 *   const { rows } = await client.getSimpleEarnFlexibleProductPosition({ asset: "USDT" });
 *   assertEquals(rows[0].totalAmount, "500.00000000");
 * } finally {
 *   await emu.close();
 * }
 * ```
 */
export class SimpleEarnClient extends SubAccountClient {
  /**
   * Flexible products (`GET /sapi/v1/simple-earn/flexible/list`, weight 150). Python
   * (python-binance): `get_simple_earn_flexible_product_list`.
   *
   * @param options `asset`, `current`, `size`.
   * @returns `{ rows, total }`.
   */
  getSimpleEarnFlexibleProductList(options?: EarnPageOptions): Promise<EarnPage<FlexibleProduct>> {
    return this.call(FLEX_LIST, options);
  }

  /**
   * Locked products (`GET /sapi/v1/simple-earn/locked/list`, weight 150). Python (python-binance):
   * `get_simple_earn_locked_product_list`.
   *
   * @param options `asset`, `current`, `size`.
   * @returns `{ rows, total }`.
   */
  getSimpleEarnLockedProductList(options?: EarnPageOptions): Promise<EarnPage<LockedProduct>> {
    return this.call(LOCKED_LIST, options);
  }

  /**
   * Subscribes to a flexible product (`POST /sapi/v1/simple-earn/flexible/subscribe`). Python
   * (python-binance): `subscribe_simple_earn_flexible_product`.
   *
   * @param options `productId`, `amount`, `autoSubscribe`, `sourceAccount`.
   * @returns `{ purchaseId, success }`.
   */
  subscribeSimpleEarnFlexibleProduct(
    options: CallOptions & {
      readonly productId: string;
      readonly amount: Decimal;
      readonly autoSubscribe?: boolean;
      readonly sourceAccount?: EarnSourceAccount;
    },
  ): Promise<{ readonly purchaseId: number; readonly success: boolean }> {
    return this.call(FLEX_SUBSCRIBE, options);
  }

  /**
   * Subscribes to a locked product (`POST /sapi/v1/simple-earn/locked/subscribe`). Python
   * (python-binance): `subscribe_simple_earn_locked_product`.
   *
   * @param options `projectId`, `amount`, `autoSubscribe`, `sourceAccount`, `redeemTo`.
   * @returns `{ purchaseId, positionId, success }`.
   */
  subscribeSimpleEarnLockedProduct(
    options: CallOptions & {
      readonly projectId: string;
      readonly amount: Decimal;
      readonly autoSubscribe?: boolean;
      readonly sourceAccount?: EarnSourceAccount;
      readonly redeemTo?: "SPOT" | "FLEXIBLE";
    },
  ): Promise<{ readonly purchaseId: number; readonly positionId: string; readonly success: boolean }> {
    return this.call(LOCKED_SUBSCRIBE, options);
  }

  /**
   * Redeems a flexible position (`POST /sapi/v1/simple-earn/flexible/redeem`). Python
   * (python-binance): `redeem_simple_earn_flexible_product`.
   *
   * @param options `productId`, `redeemAll` or `amount`, `destAccount`.
   * @returns `{ redeemId, success }`.
   */
  redeemSimpleEarnFlexibleProduct(
    options: CallOptions & {
      readonly productId: string;
      readonly redeemAll?: boolean;
      readonly amount?: Decimal;
      readonly destAccount?: "SPOT" | "FUND";
    },
  ): Promise<{ readonly redeemId: number; readonly success: boolean }> {
    return this.call(FLEX_REDEEM, options);
  }

  /**
   * Redeems a locked position early (`POST /sapi/v1/simple-earn/locked/redeem`). Python
   * (python-binance): `redeem_simple_earn_locked_product`.
   *
   * @param options `positionId`.
   * @returns `{ redeemId, success }`.
   */
  redeemSimpleEarnLockedProduct(
    options: CallOptions & { readonly positionId: string },
  ): Promise<{ readonly redeemId: number; readonly success: boolean }> {
    return this.call(LOCKED_REDEEM, options);
  }

  /**
   * Flexible positions (`GET /sapi/v1/simple-earn/flexible/position`, weight 150). Python
   * (python-binance): `get_simple_earn_flexible_product_position`.
   *
   * @param options `asset`, `productId`, `current`, `size`.
   * @returns `{ rows, total }`.
   */
  getSimpleEarnFlexibleProductPosition(
    options?: EarnPageOptions & { readonly productId?: string },
  ): Promise<EarnPage<FlexiblePosition>> {
    return this.call(FLEX_POSITION, options);
  }

  /**
   * Locked positions (`GET /sapi/v1/simple-earn/locked/position`, weight 150). Python
   * (python-binance): `get_simple_earn_locked_product_position`.
   *
   * @param options `asset`, `positionId`, `projectId`, `current`, `size`.
   * @returns `{ rows, total }`.
   */
  getSimpleEarnLockedProductPosition(
    options?: EarnPageOptions & { readonly positionId?: string; readonly projectId?: string },
  ): Promise<EarnPage<LockedPosition>> {
    return this.call(LOCKED_POSITION, options);
  }

  /**
   * The Simple Earn account totals (`GET /sapi/v1/simple-earn/account`, weight 150). Python
   * (python-binance): `get_simple_earn_account`.
   *
   * @param options Abort signal.
   * @returns Totals in BTC and USDT.
   */
  getSimpleEarnAccount(options?: CallOptions): Promise<SimpleEarnAccount> {
    return this.call(ACCOUNT, options);
  }
}
