/**
 * Cross and isolated margin: balances kept apart from spot (free, locked, borrowed), borrowing
 * and repaying with Binance's limits (cross 3×, isolated 5×: the liability may not exceed
 * (leverage − 1) × the net asset, valued at the spot books' mid prices), and orders matched by a
 * second spot engine against the same spot books. An isolated account is keyed
 * `<apiKey>|<SYMBOL>` and holds that symbol's two assets. Interest is not charged.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { ApiError } from "./api_error.ts";
import type { MarketHub } from "./hub.ts";
import type { Json } from "./payloads.ts";
import { SpotAccount } from "./spot_account.ts";
import { SpotEngine } from "./spot_engine.ts";

/** Cross-margin leverage (the account's maximum, "3x" on Binance's Cross Margin Classic). */
export const CROSS_LEVERAGE = 3;
/** Isolated-margin leverage. */
export const ISOLATED_LEVERAGE = 5;

/** One borrow or repay, as `GET /sapi/v1/margin/borrow-repay` lists it. */
export interface LoanRecord {
  readonly apiKey: string;
  readonly type: "BORROW" | "REPAY";
  readonly isolatedSymbol: string;
  readonly asset: string;
  readonly amount: Decimal;
  readonly timestamp: number;
  readonly txId: number;
}

/** The key of an account: cross is the API key, isolated `<apiKey>|<SYMBOL>`. */
export function marginKey(apiKey: string, isolatedSymbol?: string): string {
  return isolatedSymbol ? `${apiKey}|${isolatedSymbol}` : apiKey;
}

/** Margin state of one emulator. */
export class MarginBook {
  readonly accounts: Map<string, SpotAccount> = new Map();
  readonly borrowed: Map<string, Map<string, Decimal>> = new Map();
  readonly loans: LoanRecord[] = [];
  readonly engine: SpotEngine;
  readonly #hub: MarketHub;
  readonly #now: () => number;
  #nextTx = 20_000_000_001;

  /** Creates the book; `emit` receives margin user-data events by account key. */
  constructor(
    hub: MarketHub,
    options: {
      readonly apiKeys: readonly string[];
      readonly balances: (apiKey: string) => Readonly<Record<string, string>>;
      readonly emit: (accountKey: string, event: Json) => void;
      readonly now: () => number;
    },
  ) {
    this.#hub = hub;
    this.#now = options.now;
    for (const k of options.apiKeys) this.accounts.set(k, new SpotAccount(k, options.balances(k)));
    this.engine = new SpotEngine(
      this.accounts,
      (s) => hub.market("spot", s),
      (key, event) => {
        options.emit(key, event);
        this.#afterEvent(key, event);
      },
      options.now,
      2_000_000_001,
    );
  }

  /** Orders placed with AUTO_REPAY / AUTO_BORROW_REPAY that may still fill (a stop waiting to trigger). */
  readonly autoRepay: Set<number> = new Set();

  /** An AUTO_REPAY order's later fills repay what the account owes in the asset received. */
  #afterEvent(key: string, event: Json): void {
    const ev = event as { e?: string; x?: string; X?: string; i?: number; s?: string; S?: string };
    if (ev.e !== "executionReport" || ev.i === undefined || !this.autoRepay.has(ev.i)) return;
    if (ev.X !== "NEW" && ev.X !== "PARTIALLY_FILLED") this.autoRepay.delete(ev.i);
    if (ev.x !== "TRADE") return;
    const m = this.#hub.market("spot", ev.s ?? "");
    if (!m) return;
    const got = ev.S === "BUY" ? m.spec.baseAsset : m.spec.quoteAsset;
    const [apiKey, iso] = key.split("|");
    const repay = Decimal.min(this.debt(key, got), this.accounts.get(key)?.get(got).free ?? new Decimal(0));
    if (repay.gt(0)) this.repay(apiKey, got, repay, iso);
  }

  /** A new transaction id. */
  txId(): number {
    return this.#nextTx++;
  }

  /**
   * The account of a key, creating an isolated account on first use.
   *
   * @throws {ApiError} -1121 for an isolated symbol that is not a simulated spot market
   */
  account(apiKey: string, isolatedSymbol?: string): SpotAccount {
    const key = marginKey(apiKey, isolatedSymbol);
    let acc = this.accounts.get(key);
    if (!acc) {
      if (!isolatedSymbol || !this.#hub.market("spot", isolatedSymbol)) {
        throw new ApiError(-1121, "Invalid symbol.");
      }
      this.accounts.set(key, acc = new SpotAccount(key, {}));
    }
    return acc;
  }

  /** The isolated symbols an API key has accounts for. */
  isolatedSymbols(apiKey: string): string[] {
    return [...this.accounts.keys()].filter((k) => k.startsWith(`${apiKey}|`)).map((k) => k.split("|")[1]);
  }

  /** Borrowed amount of an asset. */
  debt(key: string, asset: string): Decimal {
    return this.borrowed.get(key)?.get(asset) ?? new Decimal(0);
  }

  /** Price of one `asset` in `quote` from the spot books (mid; through USDT when not listed). */
  price(asset: string, quote: string): Decimal | undefined {
    if (asset === quote) return new Decimal(1);
    const mid = (sym: string): Decimal | undefined => {
      const m = this.#hub.market("spot", sym);
      if (!m) return undefined;
      const b = m.bids.best();
      const a = m.asks.best();
      const units = b !== undefined && a !== undefined ? (b + a) / 2 : m.lastPrice;
      return new Decimal(units).div(new Decimal(10).pow(m.spec.priceDecimals));
    };
    const direct = mid(asset + quote);
    if (direct) return direct;
    const inverse = mid(quote + asset);
    if (inverse && !inverse.isZero()) return new Decimal(1).div(inverse);
    if (asset !== "USDT" && quote !== "USDT") {
      const a = this.price(asset, "USDT");
      const q = this.price(quote, "USDT");
      if (a && q && !q.isZero()) return a.div(q);
    }
    return undefined;
  }

  /** Total asset, liability and net asset of an account, valued in `quote` (unpriced assets count 0). */
  totals(key: string, quote = "BTC"): { asset: Decimal; liability: Decimal; net: Decimal } {
    let asset = new Decimal(0);
    let liability = new Decimal(0);
    const acc = this.accounts.get(key);
    for (const [a, b] of acc?.balances ?? []) {
      asset = asset.plus(b.free.plus(b.locked).times(this.price(a, quote) ?? 0));
    }
    for (const [a, d] of this.borrowed.get(key) ?? []) {
      liability = liability.plus(d.times(this.price(a, quote) ?? 0));
    }
    return { asset, liability, net: asset.minus(liability) };
  }

  /** Largest additional amount of `asset` the account may borrow. */
  maxBorrowable(key: string, asset: string, isolated: boolean): Decimal {
    const p = this.price(asset, "BTC");
    if (!p || p.isZero()) return new Decimal(0);
    const { liability, net } = this.totals(key);
    const room = net.times((isolated ? ISOLATED_LEVERAGE : CROSS_LEVERAGE) - 1).minus(liability);
    return Decimal.max(0, room.div(p)).toDecimalPlaces(8, Decimal.ROUND_DOWN);
  }

  /**
   * Borrows (credits free and the liability).
   *
   * @throws {ApiError} -3006 over the maximum, -3003 when the account holds nothing
   */
  borrow(apiKey: string, asset: string, amount: Decimal, isolatedSymbol?: string): number {
    const key = marginKey(apiKey, isolatedSymbol);
    const acc = this.account(apiKey, isolatedSymbol);
    if (isolatedSymbol) this.checkIsolatedAsset(isolatedSymbol, asset);
    if (this.totals(key).asset.isZero()) throw new ApiError(-3003, "Margin account does not exist.");
    if (amount.gt(this.maxBorrowable(key, asset, isolatedSymbol !== undefined))) {
      throw new ApiError(-3006, "Your borrow amount has exceed maximum borrow amount.");
    }
    acc.addFree(asset, amount);
    this.#addDebt(key, asset, amount);
    return this.#record(apiKey, "BORROW", asset, amount, isolatedSymbol);
  }

  /**
   * Repays from the free balance.
   *
   * @throws {ApiError} -3015 more than borrowed, -3041 free balance too small
   */
  repay(apiKey: string, asset: string, amount: Decimal, isolatedSymbol?: string): number {
    const key = marginKey(apiKey, isolatedSymbol);
    const acc = this.account(apiKey, isolatedSymbol);
    if (amount.gt(this.debt(key, asset))) throw new ApiError(-3015, "Repay amount exceeds borrow amount.");
    if (acc.get(asset).free.lt(amount)) throw new ApiError(-3041, "Balance is not enough");
    acc.addFree(asset, amount.neg());
    this.#addDebt(key, asset, amount.neg());
    return this.#record(apiKey, "REPAY", asset, amount, isolatedSymbol);
  }

  /**
   * Checks that `asset` belongs to the isolated `symbol`.
   *
   * @throws {ApiError} -11001 otherwise
   */
  checkIsolatedAsset(symbol: string, asset: string): void {
    const m = this.#hub.market("spot", symbol)!;
    if (asset !== m.spec.baseAsset && asset !== m.spec.quoteAsset) {
      throw new ApiError(-11001, "Isolated margin account does not exist.");
    }
  }

  #addDebt(key: string, asset: string, delta: Decimal): void {
    let m = this.borrowed.get(key);
    if (!m) this.borrowed.set(key, m = new Map());
    const v = (m.get(asset) ?? new Decimal(0)).plus(delta);
    if (v.isZero()) m.delete(asset);
    else m.set(asset, v);
  }

  #record(apiKey: string, type: "BORROW" | "REPAY", asset: string, amount: Decimal, iso?: string): number {
    const txId = this.txId();
    this.loans.push({ apiKey, type, isolatedSymbol: iso ?? "", asset, amount, timestamp: this.#now(), txId });
    return txId;
  }

  #asset(key: string, asset: string, acc: SpotAccount): Record<string, Json> {
    const b = acc.get(asset);
    const borrowed = this.debt(key, asset);
    return {
      asset,
      borrowed: borrowed.toFixed(8),
      free: b.free.toFixed(8),
      interest: "0.00000000",
      locked: b.locked.toFixed(8),
      netAsset: b.free.plus(b.locked).minus(borrowed).toFixed(8),
    };
  }

  #level(key: string): { level: string; t: ReturnType<MarginBook["totals"]> } {
    const t = this.totals(key);
    return { level: t.liability.isZero() ? "999.00000000" : t.asset.div(t.liability).toFixed(8), t };
  }

  /** `GET /sapi/v1/margin/account` body. */
  crossJson(apiKey: string): Json {
    const acc = this.account(apiKey);
    const { level, t } = this.#level(apiKey);
    const assets = new Set([...acc.balances.keys(), ...(this.borrowed.get(apiKey)?.keys() ?? [])]);
    return {
      created: true,
      borrowEnabled: true,
      marginLevel: level,
      collateralMarginLevel: level,
      totalAssetOfBtc: t.asset.toFixed(8),
      totalLiabilityOfBtc: t.liability.toFixed(8),
      totalNetAssetOfBtc: t.net.toFixed(8),
      totalCollateralValueInUSDT: t.asset.times(this.price("BTC", "USDT") ?? 0).toFixed(8),
      tradeEnabled: true,
      transferInEnabled: true,
      transferOutEnabled: true,
      accountType: "MARGIN_1",
      userAssets: [...assets].sort().map((a) => this.#asset(apiKey, a, acc)),
    };
  }

  /** `GET /sapi/v1/margin/isolated/account` body (`symbols`: comma-separated filter). */
  isolatedJson(apiKey: string, symbols: string | null): Json {
    const want = symbols ? new Set(symbols.split(",")) : null;
    let totalAsset = new Decimal(0);
    let totalLiability = new Decimal(0);
    const assets = this.isolatedSymbols(apiKey).filter((s) => want === null || want.has(s)).map((s) => {
      const key = marginKey(apiKey, s);
      const acc = this.accounts.get(key)!;
      const m = this.#hub.market("spot", s)!;
      const { level, t } = this.#level(key);
      totalAsset = totalAsset.plus(t.asset);
      totalLiability = totalLiability.plus(t.liability);
      const side = (a: string) => ({
        ...this.#asset(key, a, acc),
        borrowEnabled: true,
        repayEnabled: true,
        netAssetOfBtc: acc.get(a).free.plus(acc.get(a).locked).minus(this.debt(key, a)).times(
          this.price(a, "BTC") ?? 0,
        ).toFixed(8),
        totalAsset: acc.get(a).free.plus(acc.get(a).locked).toFixed(8),
      });
      return {
        baseAsset: side(m.spec.baseAsset),
        quoteAsset: side(m.spec.quoteAsset),
        symbol: s,
        isolatedCreated: true,
        enabled: true,
        marginLevel: level,
        marginLevelStatus: "EXCESSIVE",
        marginRatio: String(ISOLATED_LEVERAGE),
        indexPrice: (this.price(m.spec.baseAsset, m.spec.quoteAsset) ?? new Decimal(0)).toFixed(8),
        // liquidation is not simulated
        liquidatePrice: "0.00000000",
        liquidateRate: "0.00000000",
        tradeEnabled: true,
      };
    });
    return {
      assets,
      totalAssetOfBtc: totalAsset.toFixed(8),
      totalLiabilityOfBtc: totalLiability.toFixed(8),
      totalNetAssetOfBtc: totalAsset.minus(totalLiability).toFixed(8),
    };
  }
}
