/**
 * Sub-accounts of master accounts: the configured ones (accounts with `subAccountOf`, real keyed
 * accounts whose balances the sub-account's own key sees) and virtual ones created by
 * `POST /sapi/v1/sub-account/virtualSubAccount` (spot only, no key), the master's universal
 * transfers between them, and the IP restrictions of API keys.
 *
 * Errors the emulator chose where Binance documents none: an email that is not a sub-account of
 * the caller, a reused `clientTranId` or name, and an account type it does not hold answer `-1130`
 * naming the parameter; an uncovered amount answers `-5013` like `/sapi/v1/asset/transfer`.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { ApiError, missingParam } from "./api_error.ts";
import type { Trading } from "./core.ts";
import type { AccountOptions } from "./options.ts";
import type { Json } from "./payloads.ts";
import { SpotAccount } from "./spot_account.ts";

/** The account types a sub-account universal transfer moves between here. */
export const SUB_ACCOUNT_TYPES: readonly string[] = ["SPOT", "USDT_FUTURE", "COIN_FUTURE"];

/** One sub-account. */
export interface SubAccount {
  readonly email: string;
  readonly master: string;
  /** The sub-account's API key (configured sub-accounts only). */
  readonly apiKey?: string;
  /** The spot wallet of a virtual sub-account (configured ones use their own spot account). */
  readonly spot?: SpotAccount;
  readonly createTime: number;
}

/** One sub-account universal transfer. */
interface TransferRow {
  readonly master: string;
  readonly tranId: number;
  readonly clientTranId: string;
  readonly fromEmail: string;
  readonly toEmail: string;
  readonly asset: string;
  readonly amount: string;
  readonly fromAccountType: string;
  readonly toAccountType: string;
  readonly createTimeStamp: number;
}

/** The IP restriction of one API key. */
export interface IpRestriction {
  restricted: boolean;
  ips: string[];
  updateTime: number;
}

const invalid = (name: string): ApiError =>
  new ApiError(-1130, `Data sent for parameter '${name}' is not valid.`);
const AMOUNT = /^\d{1,20}(\.\d{1,8})?$/;

/** A deterministic lower-case suffix of a master (the part Binance puts before `noemail.com`). */
function suffixOf(master: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < master.length; i++) h = Math.imul(h ^ master.charCodeAt(i), 0x01000193) >>> 0;
  let out = "";
  for (let i = 0; i < 8; i++) {
    out += String.fromCharCode(97 + (h % 26));
    h = Math.floor(h / 26) + Math.imul(h, 7) >>> 0;
  }
  return out;
}

/** The sub-account ledger of one emulator. */
export class SubAccounts {
  readonly #t: Trading;
  readonly #now: () => number;
  readonly #subs: SubAccount[] = [];
  readonly #transfers: TransferRow[] = [];
  /** IP restrictions by API key (absent: unrestricted); shared with the signed-route check. */
  readonly ipRestrictions: Map<string, IpRestriction>;

  /** Creates the ledger with the configured sub-accounts. */
  constructor(t: Trading, accounts: readonly AccountOptions[], now: () => number) {
    this.#t = t;
    this.#now = now;
    this.ipRestrictions = t.ipRestrictions;
    for (const a of accounts) {
      if (a.subAccountOf === undefined) continue;
      const email = (a.email ?? `${a.apiKey}_virtual@${suffixOf(a.subAccountOf)}noemail.com`).toLowerCase();
      this.#subs.push({ email, master: a.subAccountOf, apiKey: a.apiKey, createTime: now() });
    }
  }

  /** The sub-accounts of a master, in creation order. */
  list(master: string): SubAccount[] {
    return this.#subs.filter((s) => s.master === master);
  }

  /**
   * The sub-account `email` of `master`.
   *
   * @throws {ApiError} -1102 missing, -1130 not a sub-account of the master
   */
  find(master: string, email: string | null, name = "email"): SubAccount {
    if (!email) throw missingParam(name);
    const s = this.#subs.find((x) => x.master === master && x.email === email.toLowerCase());
    if (!s) throw invalid(name);
    return s;
  }

  /**
   * `POST /sapi/v1/sub-account/virtualSubAccount`.
   *
   * @throws {ApiError} -1102 missing, -1130 not 1-20 letters or digits, or taken
   */
  createVirtual(master: string, p: URLSearchParams): Json {
    const name = p.get("subAccountString");
    if (!name) throw missingParam("subAccountString");
    if (!/^[A-Za-z0-9]{1,20}$/.test(name)) throw invalid("subAccountString");
    const email = `${name.toLowerCase()}_virtual@${suffixOf(master)}noemail.com`;
    if (this.#subs.some((s) => s.email === email)) throw invalid("subAccountString");
    const sub = { email, master, spot: new SpotAccount(`virtual:${email}`, {}), createTime: this.#now() };
    this.#subs.push(sub);
    return { email };
  }

  /** The spot balances of a sub-account (`GET /sapi/v4/sub-account/assets`). */
  assets(sub: SubAccount): Json {
    const acc = sub.spot ?? this.#t.spotAccount(sub.apiKey!);
    const balances = [...acc.balances.entries()].filter(([, b]) => !b.free.isZero() || !b.locked.isZero())
      .sort(([a], [b]) => a < b ? -1 : 1)
      .map(([asset, b]) => ({
        freeze: "0",
        withdrawing: "0",
        asset,
        free: b.free.toFixed(),
        locked: b.locked.toFixed(),
      }));
    return { balances };
  }

  /**
   * `POST /sapi/v1/sub-account/universalTransfer` (the caller is the master).
   *
   * @throws {ApiError} -1102 missing, -1128 neither email, -1130 bad type / amount / email /
   * clientTranId, -5013 insufficient balance
   */
  transfer(master: string, p: URLSearchParams): Json {
    const fromEmail = p.get("fromEmail") || null;
    const toEmail = p.get("toEmail") || null;
    if (fromEmail === null && toEmail === null) {
      throw new ApiError(-1128, "Combination of optional parameters invalid.");
    }
    const fromType = p.get("fromAccountType");
    if (!fromType) throw missingParam("fromAccountType");
    const toType = p.get("toAccountType");
    if (!toType) throw missingParam("toAccountType");
    if (!SUB_ACCOUNT_TYPES.includes(fromType)) throw invalid("fromAccountType");
    if (!SUB_ACCOUNT_TYPES.includes(toType)) throw invalid("toAccountType");
    // Binance: spot to any wallet, or any wallet to spot
    if (fromType !== "SPOT" && toType !== "SPOT") throw invalid("toAccountType");
    const asset = p.get("asset");
    if (!asset) throw missingParam("asset");
    const raw = p.get("amount");
    if (!raw) throw missingParam("amount");
    if (!AMOUNT.test(raw) || new Decimal(raw).lte(0)) throw invalid("amount");
    const amount = new Decimal(raw);
    const clientTranId = p.get("clientTranId") ?? "";
    if (
      clientTranId !== "" &&
      this.#transfers.some((r) => r.master === master && r.clientTranId === clientTranId)
    ) {
      throw invalid("clientTranId");
    }
    const from = fromEmail === null ? undefined : this.find(master, fromEmail, "fromEmail");
    const to = toEmail === null ? undefined : this.find(master, toEmail, "toEmail");
    const fromKey = from ? from.apiKey : master;
    const toKey = to ? to.apiKey : master;
    // a virtual sub-account has a spot wallet only
    if (fromType !== "SPOT" && fromKey === undefined) throw invalid("fromAccountType");
    if (toType !== "SPOT" && toKey === undefined) throw invalid("toAccountType");
    this.#debit(from, fromKey, fromType, asset, amount);
    this.#credit(to, toKey, toType, asset, amount);
    const tranId = this.#t.margin.txId();
    this.#transfers.push({
      master,
      tranId,
      clientTranId,
      fromEmail: from?.email ?? "",
      toEmail: to?.email ?? "",
      asset,
      amount: amount.toFixed(),
      fromAccountType: fromType,
      toAccountType: toType,
      createTimeStamp: this.#now(),
    });
    return { tranId, clientTranId };
  }

  /**
   * `GET /sapi/v1/sub-account/universalTransfer`: `fromEmail` or `toEmail` (not both),
   * `clientTranId`, `startTime`, `endTime`, `page`, `limit` (default 500, max 500).
   *
   * @throws {ApiError} -1128 both emails
   */
  history(master: string, p: URLSearchParams): Json {
    const fromEmail = p.get("fromEmail")?.toLowerCase() || null;
    const toEmail = p.get("toEmail")?.toLowerCase() || null;
    if (fromEmail !== null && toEmail !== null) {
      throw new ApiError(-1128, "Combination of optional parameters invalid.");
    }
    const cid = p.get("clientTranId");
    const start = Number(p.get("startTime") ?? 0);
    const end = Number(p.get("endTime") ?? Infinity);
    const limit = Math.min(Math.max(Number(p.get("limit") ?? 500) || 500, 1), 500);
    const page = Math.max(Number(p.get("page") ?? 1) || 1, 1);
    const rows = this.#transfers.filter((r) =>
      r.master === master && (fromEmail === null || r.fromEmail === fromEmail) &&
      (toEmail === null || r.toEmail === toEmail) && (cid === null || r.clientTranId === cid) &&
      r.createTimeStamp >= start && r.createTimeStamp <= end
    ).reverse();
    return {
      result: rows.slice((page - 1) * limit, page * limit).map((r) => ({
        tranId: r.tranId,
        fromEmail: r.fromEmail,
        toEmail: r.toEmail,
        asset: r.asset,
        amount: r.amount,
        createTimeStamp: r.createTimeStamp,
        fromAccountType: r.fromAccountType,
        toAccountType: r.toAccountType,
        status: "SUCCESS",
        clientTranId: r.clientTranId,
      })),
      totalCount: rows.length,
    };
  }

  /**
   * The sub-account API key `subAccountApiKey` of sub-account `email`.
   *
   * @throws {ApiError} -1102 missing, -1130 not that sub-account's key
   */
  subKey(master: string, p: URLSearchParams): string {
    const sub = this.find(master, p.get("email"));
    const key = p.get("subAccountApiKey");
    if (!key) throw missingParam("subAccountApiKey");
    if (sub.apiKey !== key) throw invalid("subAccountApiKey");
    return key;
  }

  /** The IP restriction of a key in Binance's shape (`ipRestrict` as a string). */
  restrictionOf(apiKey: string): Json {
    const r = this.ipRestrictions.get(apiKey) ?? { restricted: false, ips: [], updateTime: 0 };
    return { ipRestrict: String(r.restricted), ipList: [...r.ips], updateTime: r.updateTime, apiKey };
  }

  /**
   * `POST /sapi/v2/sub-account/subAccountApi/ipRestriction`: `status` 1 (unrestricted) or 2
   * (trusted IPs only), `ipAddress` a comma-separated list added to the key's list.
   *
   * @throws {ApiError} -1102 missing, -1130 bad status or address
   */
  setRestriction(apiKey: string, p: URLSearchParams): Json {
    const status = p.get("status");
    if (!status) throw missingParam("status");
    if (status !== "1" && status !== "2") throw invalid("status");
    const add = (p.get("ipAddress") ?? "").split(",").filter((x) => x !== "");
    if (add.some((ip) => !/^[0-9a-fA-F.:/]{2,45}$/.test(ip))) throw invalid("ipAddress");
    const r = this.ipRestrictions.get(apiKey) ?? { restricted: false, ips: [], updateTime: 0 };
    r.restricted = status === "2";
    for (const ip of add) if (!r.ips.includes(ip)) r.ips.push(ip);
    r.updateTime = this.#now();
    this.ipRestrictions.set(apiKey, r);
    return { status, ipList: [...r.ips], updateTime: r.updateTime, apiKey };
  }

  /**
   * `DELETE /sapi/v1/sub-account/subAccountApi/ipRestriction/ipList`: removes `ipAddress`
   * (comma-separated) from the key's list.
   *
   * @throws {ApiError} -1102 missing
   */
  deleteIps(apiKey: string, p: URLSearchParams): Json {
    const raw = p.get("ipAddress");
    if (!raw) throw missingParam("ipAddress");
    const drop = new Set(raw.split(","));
    const r = this.ipRestrictions.get(apiKey) ?? { restricted: false, ips: [], updateTime: 0 };
    r.ips = r.ips.filter((ip) => !drop.has(ip));
    r.updateTime = this.#now();
    this.ipRestrictions.set(apiKey, r);
    return this.restrictionOf(apiKey);
  }

  #debit(
    sub: SubAccount | undefined,
    key: string | undefined,
    type: string,
    asset: string,
    amount: Decimal,
  ): void {
    const t = this.#t;
    const insufficient = () => new ApiError(-5013, "Asset transfer failed: insufficient balance");
    if (type === "SPOT") {
      const acc = sub?.spot ?? t.spotAccount(key!);
      if (acc.get(asset).free.lt(amount)) throw insufficient();
      if (sub?.spot) acc.addFree(asset, amount.neg());
      else t.spotMove(key!, asset, amount.neg());
      return;
    }
    const e = type === "USDT_FUTURE" ? t.futures : t.coinm;
    const acc = e.account(key!);
    const wb = acc.wallet.get(asset) ?? new Decimal(0);
    const { used, upnl } = e.usage(acc, asset);
    if (Decimal.min(wb, wb.plus(upnl)).minus(used).lt(amount)) throw insufficient();
    acc.wallet.set(asset, wb.minus(amount));
  }

  #credit(
    sub: SubAccount | undefined,
    key: string | undefined,
    type: string,
    asset: string,
    amount: Decimal,
  ): void {
    const t = this.#t;
    if (type === "SPOT") {
      if (sub?.spot) sub.spot.addFree(asset, amount);
      else t.spotMove(key!, asset, amount);
      return;
    }
    const acc = (type === "USDT_FUTURE" ? t.futures : t.coinm).account(key!);
    acc.wallet.set(asset, (acc.wallet.get(asset) ?? new Decimal(0)).plus(amount));
  }
}
