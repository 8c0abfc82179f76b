/**
 * Spot account state: balances (free / locked, exact decimals) and the wire shapes that read
 * them (`GET /api/v3/account`, `outboundAccountPosition`).
 *
 * @module
 */
import { Decimal } from "decimal.js";
import type { Json } from "./payloads.ts";

/** Default spot balances of an account without `balances`. */
export const DEFAULT_BALANCES: Readonly<Record<string, string>> = {
  USDT: "10000",
  BTC: "1",
  ETH: "10",
  BNB: "100",
};

/** Free and locked amount of one asset. */
export interface Balance {
  free: Decimal;
  locked: Decimal;
}

/** One spot account. */
export class SpotAccount {
  readonly apiKey: string;
  readonly balances: Map<string, Balance> = new Map();
  updateTime = 0;
  /** Assets changed since the last `outboundAccountPosition`. */
  readonly dirty: Set<string> = new Set();

  /** Creates an account with initial balances. */
  constructor(apiKey: string, balances: Readonly<Record<string, string>>) {
    this.apiKey = apiKey;
    for (const [a, v] of Object.entries(balances)) {
      this.balances.set(a, { free: new Decimal(v), locked: new Decimal(0) });
    }
  }

  /** The balance of an asset (created at zero). */
  get(asset: string): Balance {
    let b = this.balances.get(asset);
    if (!b) this.balances.set(asset, b = { free: new Decimal(0), locked: new Decimal(0) });
    return b;
  }

  /** Adds `delta` to free (may be negative). */
  addFree(asset: string, delta: Decimal): void {
    const b = this.get(asset);
    b.free = b.free.plus(delta);
    this.dirty.add(asset);
  }

  /** Moves `amount` from free to locked (negative: back). */
  lock(asset: string, amount: Decimal): void {
    const b = this.get(asset);
    b.free = b.free.minus(amount);
    b.locked = b.locked.plus(amount);
    this.dirty.add(asset);
  }

  /** Removes `amount` from locked (spent). */
  spendLocked(asset: string, amount: Decimal): void {
    const b = this.get(asset);
    b.locked = b.locked.minus(amount);
    this.dirty.add(asset);
  }

  /** `GET /api/v3/account` body. */
  toJson(omitZero: boolean, uid: number): Json {
    return {
      makerCommission: 0,
      takerCommission: 0,
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: {
        maker: "0.00000000",
        taker: "0.00000000",
        buyer: "0.00000000",
        seller: "0.00000000",
      },
      canTrade: true,
      canWithdraw: true,
      canDeposit: true,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: this.updateTime,
      accountType: "SPOT",
      balances: [...this.balances]
        .filter(([, b]) => !omitZero || !b.free.isZero() || !b.locked.isZero())
        .map(([asset, b]) => ({ asset, free: b.free.toFixed(8), locked: b.locked.toFixed(8) })),
      permissions: ["SPOT"],
      uid,
    };
  }

  /** `outboundAccountPosition` for the assets changed since the last call (null if none). */
  takePosition(E: number): Json | null {
    if (this.dirty.size === 0) return null;
    const B = [...this.dirty].map((a) => {
      const b = this.get(a);
      return { a, f: b.free.toFixed(8), l: b.locked.toFixed(8) };
    });
    this.dirty.clear();
    this.updateTime = E;
    return { e: "outboundAccountPosition", E, u: E, B };
  }
}
