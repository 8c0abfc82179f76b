/**
 * Universal transfer (`POST|GET /sapi/v1/asset/transfer`): moves a balance between the spot
 * (MAIN), USDⓈ-M (UMFUTURE), COIN-M (CMFUTURE), cross-margin (MARGIN) and isolated-margin
 * (ISOLATEDMARGIN, with `fromSymbol` / `toSymbol`) wallets of one account. Spot changes emit
 * `balanceUpdate` + `outboundAccountPosition`; futures transfers are recorded as TRANSFER income.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { ApiError, missingParam } from "./api_error.ts";
import type { FuturesEngine } from "./futures_engine.ts";
import type { MarginBook } from "./margin.ts";
import { marginKey } from "./margin.ts";
import type { Json } from "./payloads.ts";
import type { SpotAccount } from "./spot_account.ts";

type Wallet = "MAIN" | "UMFUTURE" | "CMFUTURE" | "MARGIN" | "ISOLATEDMARGIN";

/** The transfer types served (Binance's names). */
export const TRANSFER_TYPES: readonly string[] = [
  "MAIN_UMFUTURE",
  "MAIN_CMFUTURE",
  "MAIN_MARGIN",
  "UMFUTURE_MAIN",
  "UMFUTURE_MARGIN",
  "CMFUTURE_MAIN",
  "CMFUTURE_MARGIN",
  "MARGIN_MAIN",
  "MARGIN_UMFUTURE",
  "MARGIN_CMFUTURE",
  "MARGIN_ISOLATEDMARGIN",
  "ISOLATEDMARGIN_MARGIN",
  "ISOLATEDMARGIN_ISOLATEDMARGIN",
];

/** One completed transfer. */
export interface TransferRecord {
  readonly apiKey: string;
  readonly type: string;
  readonly asset: string;
  readonly amount: string;
  readonly tranId: number;
  readonly timestamp: number;
}

/** What transfers move balances between. */
export interface TransferDeps {
  readonly spot: (apiKey: string) => SpotAccount;
  /** Emits spot `balanceUpdate` and the resulting `outboundAccountPosition`. */
  readonly spotChanged: (apiKey: string, asset: string, delta: string) => void;
  readonly usdm: FuturesEngine;
  readonly coinm: FuturesEngine;
  readonly margin: MarginBook;
  readonly now: () => number;
}

const insufficient = () => new ApiError(-5013, "Asset transfer failed: insufficient balance");

/** The universal-transfer ledger of one emulator. */
export class Transfers {
  readonly records: TransferRecord[] = [];
  readonly #d: TransferDeps;

  /** Creates the ledger. */
  constructor(deps: TransferDeps) {
    this.#d = deps;
  }

  /**
   * Executes `POST /sapi/v1/asset/transfer`.
   *
   * @throws {ApiError} -1102 missing, -1130 bad type or amount, -5013 insufficient balance,
   * -11001 isolated account missing
   */
  transfer(apiKey: string, p: URLSearchParams): Json {
    const type = p.get("type");
    if (!type) throw missingParam("type");
    if (!TRANSFER_TYPES.includes(type)) {
      throw new ApiError(-1130, "Data sent for parameter 'type' is not valid.");
    }
    const asset = p.get("asset");
    if (!asset) throw missingParam("asset");
    const raw = p.get("amount");
    if (!raw) throw missingParam("amount");
    if (!/^\d{1,20}(\.\d{1,8})?$/.test(raw) || new Decimal(raw).lte(0)) {
      throw new ApiError(-1130, "Data sent for parameter 'amount' is not valid.");
    }
    const amount = new Decimal(raw);
    const [from, to] = type.split("_") as [Wallet, Wallet];
    const fromSymbol = from === "ISOLATEDMARGIN" ? this.#symbol(p, "fromSymbol") : undefined;
    const toSymbol = to === "ISOLATEDMARGIN" ? this.#symbol(p, "toSymbol") : undefined;
    const m = this.#d.margin;
    if (fromSymbol !== undefined) {
      if (!m.accounts.has(marginKey(apiKey, fromSymbol))) {
        throw new ApiError(-11001, "Isolated margin account does not exist.");
      }
      m.checkIsolatedAsset(fromSymbol, asset);
    }
    if (toSymbol !== undefined) {
      m.account(apiKey, toSymbol); // created by the first transfer in; -1121 for unknown symbols
      m.checkIsolatedAsset(toSymbol, asset);
    }
    this.#debit(apiKey, from, asset, amount, fromSymbol);
    this.#credit(apiKey, to, asset, amount, toSymbol);
    const tranId = this.#d.margin.txId();
    this.records.push({ apiKey, type, asset, amount: amount.toFixed(8), tranId, timestamp: this.#d.now() });
    for (const [w, sign] of [[from, -1], [to, 1]] as const) {
      const engine = w === "UMFUTURE" ? this.#d.usdm : w === "CMFUTURE" ? this.#d.coinm : undefined;
      engine?.account(apiKey).income.push({
        symbol: "",
        incomeType: "TRANSFER",
        income: amount.times(sign).toFixed(8),
        asset,
        info: "TRANSFER",
        time: this.#d.now(),
        tranId,
        tradeId: "",
      });
    }
    return { tranId };
  }

  /** `GET /sapi/v1/asset/transfer`: `type` (mandatory), `startTime`, `endTime`, `current`, `size`. */
  history(apiKey: string, p: URLSearchParams): Json {
    const type = p.get("type");
    if (!type) throw missingParam("type");
    const start = Number(p.get("startTime") ?? 0);
    const end = Number(p.get("endTime") ?? Infinity);
    const size = Math.min(Number(p.get("size") ?? 10) || 10, 100);
    const current = Math.max(1, Number(p.get("current") ?? 1) || 1);
    const rows = this.records.filter((r) =>
      r.apiKey === apiKey && r.type === type && r.timestamp >= start && r.timestamp <= end
    ).reverse();
    const page = rows.slice((current - 1) * size, current * size).map((r) => ({
      asset: r.asset,
      amount: r.amount,
      type: r.type,
      status: "CONFIRMED",
      tranId: r.tranId,
      timestamp: r.timestamp,
    }));
    return page.length === 0 ? { total: rows.length } : { total: rows.length, rows: page };
  }

  #symbol(p: URLSearchParams, name: string): string {
    const s = p.get(name);
    if (!s) throw missingParam(name);
    return s;
  }

  #debit(apiKey: string, w: Wallet, asset: string, amount: Decimal, symbol?: string): void {
    const d = this.#d;
    if (w === "MAIN") {
      const acc = d.spot(apiKey);
      if (acc.get(asset).free.lt(amount)) throw insufficient();
      acc.addFree(asset, amount.neg());
      d.spotChanged(apiKey, asset, amount.neg().toFixed(8));
    } else if (w === "UMFUTURE" || w === "CMFUTURE") {
      const e = w === "UMFUTURE" ? d.usdm : d.coinm;
      const acc = e.account(apiKey);
      const wb = acc.wallet.get(asset) ?? new Decimal(0);
      const { used, upnl } = e.usage(acc, asset);
      // what may leave: the wallet minus margin in use, unrealised losses counted
      if (Decimal.min(wb, wb.plus(upnl)).minus(used).lt(amount)) throw insufficient();
      acc.wallet.set(asset, wb.minus(amount));
    } else {
      const m = d.margin;
      const acc = m.account(apiKey, symbol);
      if (acc.get(asset).free.lt(amount)) throw insufficient();
      acc.addFree(asset, amount.neg());
      const key = marginKey(apiKey, symbol);
      // the remaining net asset must still carry the liabilities at the account's leverage
      const { liability, net } = m.totals(key);
      const lev = w === "ISOLATEDMARGIN" ? 5 : 3;
      if (!liability.isZero() && liability.gt(net.times(lev - 1))) {
        acc.addFree(asset, amount);
        throw new ApiError(-3020, "Transfer out amount exceeds max amount.");
      }
    }
  }

  #credit(apiKey: string, w: Wallet, asset: string, amount: Decimal, symbol?: string): void {
    const d = this.#d;
    if (w === "MAIN") {
      d.spot(apiKey).addFree(asset, amount);
      d.spotChanged(apiKey, asset, amount.toFixed(8));
    } else if (w === "UMFUTURE" || w === "CMFUTURE") {
      const acc = (w === "UMFUTURE" ? d.usdm : d.coinm).account(apiKey);
      acc.wallet.set(asset, (acc.wallet.get(asset) ?? new Decimal(0)).plus(amount));
    } else {
      d.margin.account(apiKey, symbol).addFree(asset, amount);
    }
  }
}
