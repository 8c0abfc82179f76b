/**
 * Simple Earn: flexible products (one per asset, rewards accrue by the second at the product's
 * APR and are paid to spot with a redemption) and locked products (30 and 90 days; principal and
 * rewards return to spot when the emulator clock passes the delivery date, early redemption returns
 * the principal only). Subscriptions debit and redemptions credit the spot account, with
 * `balanceUpdate` + `outboundAccountPosition` events. Subscribe and redeem calls are limited to one
 * per 3 s per account, as on Binance (-6009).
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { ApiError, missingParam } from "./api_error.ts";
import type { Trading } from "./core.ts";
import type { Json } from "./payloads.ts";

const YEAR_MS = 365 * 86_400_000;
const AMOUNT = /^\d{1,20}(\.\d{1,8})?$/;

/** The products of each asset: flexible APR, minimum subscription and personal locked quota. */
const ASSETS: Record<string, { apr: string; min: string; quota: string }> = {
  USDT: { apr: "0.05", min: "0.1", quota: "100000" },
  BTC: { apr: "0.01", min: "0.0001", quota: "10" },
  ETH: { apr: "0.02", min: "0.001", quota: "200" },
  BNB: { apr: "0.015", min: "0.01", quota: "5000" },
};
const DURATIONS = [30, 90] as const;

interface Flexible {
  amount: Decimal;
  /** Rewards accrued up to `since`. */
  accrued: Decimal;
  since: number;
  autoSubscribe: boolean;
}

interface Locked {
  readonly positionId: number;
  readonly projectId: string;
  readonly asset: string;
  readonly amount: Decimal;
  readonly apr: Decimal;
  readonly duration: number;
  readonly purchaseTime: number;
  readonly autoSubscribe: boolean;
}

const err = (code: number, msg: string): ApiError => new ApiError(code, msg);
const noProduct = (): ApiError => err(-6003, "Product not exist or you don't have permission");

function amountOf(p: URLSearchParams): Decimal {
  const raw = p.get("amount");
  if (!raw) throw missingParam("amount");
  if (!AMOUNT.test(raw) || new Decimal(raw).lte(0)) {
    throw new ApiError(-1130, "Data sent for parameter 'amount' is not valid.");
  }
  return new Decimal(raw);
}

/** `Usdt*30`: Binance's project id style. */
function projectId(asset: string, days: number): string {
  return `${asset[0]}${asset.slice(1).toLowerCase()}*${days}`;
}

/** The Simple Earn ledger of one emulator. */
export class SimpleEarn {
  readonly #t: Trading;
  readonly #now: () => number;
  readonly #price: (asset: string) => Decimal;
  readonly #flex = new Map<string, Flexible>();
  readonly #locked: Locked[] = [];
  readonly #lastCall = new Map<string, number>();
  /** The account of each locked position. */
  readonly #owners = new Map<number, string>();
  #nextId = 1;

  /**
   * Creates the ledger.
   *
   * @param price the USDT price of an asset (0 when unknown)
   */
  constructor(t: Trading, now: () => number, price: (asset: string) => Decimal) {
    this.#t = t;
    this.#now = now;
    this.#price = price;
  }

  #throttle(apiKey: string): void {
    const now = this.#now();
    const last = this.#lastCall.get(apiKey);
    if (last !== undefined && now - last < 3000) throw err(-6009, "Request frequency too high");
    this.#lastCall.set(apiKey, now);
  }

  #rewards(f: Flexible, apr: string, now: number): Decimal {
    return f.accrued.plus(f.amount.times(apr).times(Math.max(0, now - f.since)).div(YEAR_MS));
  }

  #paging(p: URLSearchParams, rows: Json[]): Json {
    const current = Math.max(Number(p.get("current") ?? 1) || 1, 1);
    const size = Math.min(Math.max(Number(p.get("size") ?? 10) || 10, 1), 100);
    return { rows: rows.slice((current - 1) * size, current * size), total: rows.length };
  }

  /** Returns matured locked positions (principal and rewards) to spot. */
  settle(): void {
    const now = this.#now();
    for (let i = 0; i < this.#locked.length;) {
      const l = this.#locked[i];
      const key = this.#owner(l.positionId);
      if (l.purchaseTime + l.duration * 86_400_000 > now) {
        i++;
        continue;
      }
      this.#locked.splice(i, 1);
      this.#t.spotMove(key, l.asset, l.amount.plus(this.#lockedReward(l)));
    }
  }

  #owner(positionId: number): string {
    return this.#owners.get(positionId)!;
  }

  #lockedReward(l: Locked): Decimal {
    return l.amount.times(l.apr).times(l.duration).div(365).toDecimalPlaces(8, Decimal.ROUND_DOWN);
  }

  /** `GET /sapi/v1/simple-earn/flexible/list`: `asset`, `current`, `size`. */
  flexibleList(p: URLSearchParams): Json {
    const asset = p.get("asset");
    const rows = Object.entries(ASSETS).filter(([a]) => asset === null || a === asset).map(([a, s]) => ({
      asset: a,
      latestAnnualPercentageRate: s.apr,
      tierAnnualPercentageRate: {},
      airDropPercentageRate: "0",
      canPurchase: true,
      canRedeem: true,
      isSoldOut: false,
      hot: a === "USDT",
      minPurchaseAmount: s.min,
      productId: `${a}001`,
      subscriptionStartTime: 1_640_995_200_000,
      status: "PURCHASING",
    }));
    return this.#paging(p, rows);
  }

  /** `GET /sapi/v1/simple-earn/locked/list`: `asset`, `current`, `size`. */
  lockedList(p: URLSearchParams): Json {
    const asset = p.get("asset");
    const rows: Json[] = [];
    for (const [a, s] of Object.entries(ASSETS)) {
      if (asset !== null && a !== asset) continue;
      for (const d of DURATIONS) {
        rows.push({
          projectId: projectId(a, d),
          detail: {
            asset: a,
            rewardAsset: a,
            duration: d,
            renewable: true,
            isSoldOut: false,
            apr: this.#lockedApr(a, d).toFixed(),
            status: "CREATED",
            subscriptionStartTime: 1_640_995_200_000,
            extraRewardAsset: "",
            extraRewardAPR: "0",
          },
          quota: { totalPersonalQuota: s.quota, minimum: s.min },
        });
      }
    }
    return this.#paging(p, rows);
  }

  #lockedApr(asset: string, days: number): Decimal {
    return new Decimal(ASSETS[asset].apr).times(days === 30 ? 1.5 : 2);
  }

  /**
   * `POST /sapi/v1/simple-earn/flexible/subscribe`: `productId`, `amount`, `autoSubscribe`,
   * `sourceAccount` (SPOT).
   *
   * @throws {ApiError} -6003 unknown product, -6005 below the minimum, -6012 balance, -6009 too often
   */
  subscribeFlexible(apiKey: string, p: URLSearchParams): Json {
    const id = p.get("productId");
    if (!id) throw missingParam("productId");
    const asset = id.endsWith("001") ? id.slice(0, -3) : "";
    const spec = ASSETS[asset];
    if (!spec) throw noProduct();
    const amount = amountOf(p);
    this.#source(p.get("sourceAccount"), "sourceAccount");
    if (amount.lt(spec.min)) throw err(-6005, "Smaller than min purchase limit");
    if (this.#t.spotAccount(apiKey).get(asset).free.lt(amount)) throw err(-6012, "Balance not enough");
    this.#throttle(apiKey);
    const now = this.#now();
    const key = `${apiKey}|${asset}`;
    const f = this.#flex.get(key) ??
      { amount: new Decimal(0), accrued: new Decimal(0), since: now, autoSubscribe: true };
    f.accrued = this.#rewards(f, spec.apr, now);
    f.since = now;
    f.amount = f.amount.plus(amount);
    f.autoSubscribe = p.get("autoSubscribe") !== "false";
    this.#flex.set(key, f);
    this.#t.spotMove(apiKey, asset, amount.neg());
    return { purchaseId: this.#nextId++, success: true };
  }

  /**
   * `POST /sapi/v1/simple-earn/flexible/redeem`: `productId`, `redeemAll` or `amount`,
   * `destAccount` (SPOT). Accrued rewards are paid with the principal.
   *
   * @throws {ApiError} -6003 no position, -6006 amount above the position, -6009 too often
   */
  redeemFlexible(apiKey: string, p: URLSearchParams): Json {
    const id = p.get("productId");
    if (!id) throw missingParam("productId");
    const asset = id.endsWith("001") ? id.slice(0, -3) : "";
    const f = this.#flex.get(`${apiKey}|${asset}`);
    if (!ASSETS[asset] || !f || f.amount.isZero()) throw noProduct();
    this.#source(p.get("destAccount"), "destAccount");
    const all = p.get("redeemAll") === "true";
    const amount = all ? f.amount : amountOf(p);
    if (amount.gt(f.amount)) throw err(-6006, "Redeem amount error");
    this.#throttle(apiKey);
    const now = this.#now();
    const rewards = this.#rewards(f, ASSETS[asset].apr, now).toDecimalPlaces(8, Decimal.ROUND_DOWN);
    f.amount = f.amount.minus(amount);
    f.accrued = new Decimal(0);
    f.since = now;
    this.#t.spotMove(apiKey, asset, amount.plus(rewards));
    return { redeemId: this.#nextId++, success: true };
  }

  /** `GET /sapi/v1/simple-earn/flexible/position`: `asset`, `productId`, `current`, `size`. */
  flexiblePosition(apiKey: string, p: URLSearchParams): Json {
    const asset = p.get("asset");
    const id = p.get("productId");
    const now = this.#now();
    const rows: Json[] = [];
    for (const [a, s] of Object.entries(ASSETS)) {
      const f = this.#flex.get(`${apiKey}|${a}`);
      if (!f || f.amount.isZero() || (asset !== null && a !== asset) || (id !== null && id !== `${a}001`)) {
        continue;
      }
      const rewards = this.#rewards(f, s.apr, now).toDecimalPlaces(8, Decimal.ROUND_DOWN).toFixed(8);
      rows.push({
        totalAmount: f.amount.toFixed(8),
        tierAnnualPercentageRate: {},
        latestAnnualPercentageRate: s.apr,
        yesterdayAirdropPercentageRate: "0",
        asset: a,
        airDropAsset: a,
        canRedeem: true,
        collateralAmount: "0",
        productId: `${a}001`,
        yesterdayRealTimeRewards: "0",
        cumulativeBonusRewards: "0",
        cumulativeRealTimeRewards: rewards,
        cumulativeTotalRewards: rewards,
        autoSubscribe: f.autoSubscribe,
      });
    }
    return this.#paging(p, rows);
  }

  /**
   * `POST /sapi/v1/simple-earn/locked/subscribe`: `projectId`, `amount`, `autoSubscribe`,
   * `sourceAccount` (SPOT), `redeemTo` (SPOT).
   *
   * @throws {ApiError} -6020 unknown project, -6005 below the minimum, -6014 above the personal
   * quota, -6012 balance, -6009 too often
   */
  subscribeLocked(apiKey: string, p: URLSearchParams): Json {
    const id = p.get("projectId");
    if (!id) throw missingParam("projectId");
    const m = /^([A-Z])([a-z]+)\*(\d+)$/.exec(id);
    const asset = m ? m[1] + m[2].toUpperCase() : "";
    const days = m ? Number(m[3]) : 0;
    const spec = ASSETS[asset];
    if (!spec || !(DURATIONS as readonly number[]).includes(days)) throw err(-6020, "Project not exists");
    const amount = amountOf(p);
    this.#source(p.get("sourceAccount"), "sourceAccount");
    this.#source(p.get("redeemTo"), "redeemTo");
    if (amount.lt(spec.min)) throw err(-6005, "Smaller than min purchase limit");
    const held = this.#locked.filter((l) => this.#owner(l.positionId) === apiKey && l.projectId === id)
      .reduce((s, l) => s.plus(l.amount), new Decimal(0));
    if (held.plus(amount).gt(spec.quota)) throw err(-6014, "Exceed up-limit allowed to purchased");
    if (this.#t.spotAccount(apiKey).get(asset).free.lt(amount)) throw err(-6012, "Balance not enough");
    this.#throttle(apiKey);
    const positionId = this.#nextId++;
    this.#owners.set(positionId, apiKey);
    this.#locked.push({
      positionId,
      projectId: id,
      asset,
      amount,
      apr: this.#lockedApr(asset, days),
      duration: days,
      purchaseTime: this.#now(),
      autoSubscribe: p.get("autoSubscribe") === "true",
    });
    this.#t.spotMove(apiKey, asset, amount.neg());
    return { purchaseId: this.#nextId++, positionId: String(positionId), success: true };
  }

  /**
   * `POST /sapi/v1/simple-earn/locked/redeem`: `positionId` (early: the principal only).
   *
   * @throws {ApiError} -6003 no such position of the account, -6009 too often
   */
  redeemLocked(apiKey: string, p: URLSearchParams): Json {
    const raw = p.get("positionId");
    if (!raw) throw missingParam("positionId");
    const i = this.#locked.findIndex((l) =>
      String(l.positionId) === raw && this.#owner(l.positionId) === apiKey
    );
    if (i < 0) throw noProduct();
    this.#throttle(apiKey);
    const [l] = this.#locked.splice(i, 1);
    this.#t.spotMove(apiKey, l.asset, l.amount);
    return { redeemId: this.#nextId++, success: true };
  }

  /** `GET /sapi/v1/simple-earn/locked/position`: `asset`, `positionId`, `projectId`, paging. */
  lockedPosition(apiKey: string, p: URLSearchParams): Json {
    const asset = p.get("asset");
    const pos = p.get("positionId");
    const proj = p.get("projectId");
    const rows = this.#locked.filter((l) =>
      this.#owner(l.positionId) === apiKey && (asset === null || l.asset === asset) &&
      (pos === null || String(l.positionId) === pos) && (proj === null || l.projectId === proj)
    ).map((l) => {
      const deliver = l.purchaseTime + l.duration * 86_400_000;
      const days = Math.floor((this.#now() - l.purchaseTime) / 86_400_000);
      return {
        positionId: l.positionId,
        parentPositionId: 0,
        projectId: l.projectId,
        asset: l.asset,
        amount: l.amount.toFixed(8),
        purchaseTime: String(l.purchaseTime),
        duration: String(l.duration),
        accrualDays: String(days),
        rewardAsset: l.asset,
        APY: l.apr.toFixed(),
        rewardAmt: l.amount.times(l.apr).times(days).div(365).toDecimalPlaces(8, Decimal.ROUND_DOWN).toFixed(
          8,
        ),
        extraRewardAsset: "",
        extraRewardAPR: "0",
        estExtraRewardAmt: "0",
        nextPay: "0",
        nextPayDate: String(deliver),
        payPeriod: 1,
        redeemAmountEarly: l.amount.toFixed(8),
        rewardsEndDate: String(deliver),
        deliverDate: String(deliver),
        redeemPeriod: 1,
        redeemingAmt: "0",
        redeemTo: "SPOT",
        partialAmtDeliverDate: "",
        canRedeemEarly: true,
        canFastRedemption: false,
        autoSubscribe: l.autoSubscribe,
        type: "NORMAL",
        status: "HOLDING",
        canReStake: false,
      };
    });
    return this.#paging(p, rows);
  }

  /** `GET /sapi/v1/simple-earn/account`: totals in USDT and BTC at the spot prices. */
  account(apiKey: string): Json {
    let flex = new Decimal(0);
    let locked = new Decimal(0);
    for (const a of Object.keys(ASSETS)) {
      const f = this.#flex.get(`${apiKey}|${a}`);
      if (f) flex = flex.plus(f.amount.times(this.#price(a)));
    }
    for (const l of this.#locked) {
      if (this.#owner(l.positionId) === apiKey) locked = locked.plus(l.amount.times(this.#price(l.asset)));
    }
    const btc = this.#price("BTC");
    const inBtc = (v: Decimal) => (btc.isZero() ? "0.00000000" : v.div(btc).toFixed(8, Decimal.ROUND_DOWN));
    return {
      totalAmountInBTC: inBtc(flex.plus(locked)),
      totalAmountInUSDT: flex.plus(locked).toFixed(8, Decimal.ROUND_DOWN),
      totalFlexibleAmountInBTC: inBtc(flex),
      totalFlexibleAmountInUSDT: flex.toFixed(8, Decimal.ROUND_DOWN),
      totalLockedInBTC: inBtc(locked),
      totalLockedInUSDT: locked.toFixed(8, Decimal.ROUND_DOWN),
    };
  }

  /** The emulator moves Simple Earn funds to and from the spot wallet only. */
  #source(v: string | null, name: string): void {
    if (v !== null && v !== "SPOT") {
      throw new ApiError(-1130, `Data sent for parameter '${name}' is not valid.`);
    }
  }
}
