/**
 * Convert: quotes between the two assets of every simulated spot market, priced at the book's
 * middle less a 0.1 % spread, valid for `validTime` (10 s by default) on the emulator clock, and
 * settled against the spot account when accepted (`balanceUpdate` events). A quote for more than
 * the free balance comes without `quoteId`, as on Binance; a balance spent between quote and
 * acceptance turns the order `FAIL`.
 *
 * Binance documents no codes for convert failures; the emulator answers an unknown, used or
 * expired quote and an unsupported pair or amount with `-1130` naming the parameter (the message
 * says which), and a `tradeFlow` span above 30 days with `-1127`.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { ApiError, missingParam } from "./api_error.ts";
import type { Trading } from "./core.ts";
import type { MarketHub } from "./hub.ts";
import { markPrice } from "./futures_account.ts";
import type { Json } from "./payloads.ts";

const VALID: Record<string, number> = { "10s": 10_000, "30s": 30_000, "1m": 60_000, "2m": 120_000 };
const SPREAD = new Decimal("0.999");
const AMOUNT = /^\d{1,20}(\.\d{1,8})?$/;
/** The smallest and largest conversion, in USDT-worth of the source asset. */
const MIN_USDT = 10;
const MAX_USDT = 1_000_000;

interface Quote {
  readonly quoteId: string;
  readonly apiKey: string;
  readonly fromAsset: string;
  readonly toAsset: string;
  readonly fromAmount: Decimal;
  readonly toAmount: Decimal;
  readonly ratio: Decimal;
  readonly validTimestamp: number;
}

interface ConvertOrder {
  readonly orderId: number;
  readonly quote: Quote;
  readonly status: "SUCCESS" | "FAIL";
  readonly createTime: number;
}

const invalid = (name: string, why: string): ApiError =>
  new ApiError(-1130, `Data sent for parameter '${name}' is not valid. ${why}`);

/** The convert desk of one emulator. */
export class Convert {
  readonly #hub: MarketHub;
  readonly #t: Trading;
  readonly #now: () => number;
  readonly #quotes = new Map<string, Quote>();
  readonly #orders: ConvertOrder[] = [];
  #next = 1;

  /** Creates the desk. */
  constructor(hub: MarketHub, t: Trading, now: () => number) {
    this.#hub = hub;
    this.#t = t;
    this.#now = now;
  }

  /** Mid price of one `from` in `to` (undefined: no spot market joins them). */
  #mid(from: string, to: string): Decimal | undefined {
    for (const m of this.#hub.markets("spot")) {
      const { baseAsset: b, quoteAsset: q } = m.spec;
      if (b === from && q === to) return markPrice(m);
      if (b === to && q === from) return new Decimal(1).div(markPrice(m));
    }
    return undefined;
  }

  /** The USDT worth of one unit of `asset` (through its USDT market or one hop). */
  #usdt(asset: string): Decimal | undefined {
    if (asset === "USDT") return new Decimal(1);
    const direct = this.#mid(asset, "USDT");
    if (direct) return direct;
    for (const m of this.#hub.markets("spot")) {
      const other = m.spec.baseAsset === asset
        ? m.spec.quoteAsset
        : m.spec.quoteAsset === asset
        ? m.spec.baseAsset
        : "";
      const hop = other === "" ? undefined : this.#mid(other, "USDT");
      if (hop) return this.#mid(asset, other)!.times(hop);
    }
    return undefined;
  }

  #pairs(): [string, string][] {
    const out: [string, string][] = [];
    for (const m of this.#hub.markets("spot")) {
      out.push([m.spec.baseAsset, m.spec.quoteAsset], [m.spec.quoteAsset, m.spec.baseAsset]);
    }
    return out;
  }

  #limits(asset: string): [Decimal, Decimal] {
    const worth = this.#usdt(asset) ?? new Decimal(1);
    return [
      new Decimal(MIN_USDT).div(worth).toDecimalPlaces(8, Decimal.ROUND_UP),
      new Decimal(MAX_USDT).div(worth).toDecimalPlaces(8, Decimal.ROUND_DOWN),
    ];
  }

  /** `GET /sapi/v1/convert/exchangeInfo`: `fromAsset` and / or `toAsset` (one is needed). */
  exchangeInfo(p: URLSearchParams): Json {
    const from = p.get("fromAsset");
    const to = p.get("toAsset");
    if (!from && !to) throw missingParam("fromAsset");
    return this.#pairs().filter(([f, t]) => (!from || f === from) && (!to || t === to)).map(([f, t]) => {
      const [fMin, fMax] = this.#limits(f);
      const [tMin, tMax] = this.#limits(t);
      return {
        fromAsset: f,
        toAsset: t,
        fromAssetMinAmount: fMin.toFixed(),
        fromAssetMaxAmount: fMax.toFixed(),
        toAssetMinAmount: tMin.toFixed(),
        toAssetMaxAmount: tMax.toFixed(),
      };
    });
  }

  /** `GET /sapi/v1/convert/assetInfo`: the precision (`fraction`) of every convertible asset. */
  assetInfo(): Json {
    const assets = [...new Set(this.#pairs().map(([f]) => f))].sort();
    return assets.map((asset) => ({ asset, fraction: asset === "USDT" ? 6 : 8 }));
  }

  /**
   * `POST /sapi/v1/convert/getQuote`: `fromAsset`, `toAsset`, `fromAmount` or `toAmount`,
   * `walletType` (SPOT), `validTime`.
   *
   * @throws {ApiError} -1102 missing, -1128 both amounts, -1130 pair, amount, wallet or validTime
   */
  quote(apiKey: string, p: URLSearchParams): Json {
    const from = p.get("fromAsset");
    if (!from) throw missingParam("fromAsset");
    const to = p.get("toAsset");
    if (!to) throw missingParam("toAsset");
    const rawFrom = p.get("fromAmount");
    const rawTo = p.get("toAmount");
    if (rawFrom && rawTo) throw new ApiError(-1128, "Combination of optional parameters invalid.");
    if (!rawFrom && !rawTo) throw missingParam("fromAmount");
    const wallet = p.get("walletType");
    if (wallet !== null && wallet !== "SPOT") {
      throw invalid("walletType", "The emulator converts spot funds only.");
    }
    const valid = VALID[p.get("validTime") ?? "10s"];
    if (valid === undefined) throw invalid("validTime", "Use 10s, 30s, 1m or 2m.");
    const mid = from === to ? undefined : this.#mid(from, to);
    if (!mid) throw invalid("toAsset", `No convert pair ${from}/${to}.`);
    const name = rawFrom ? "fromAmount" : "toAmount";
    const raw = (rawFrom ?? rawTo)!;
    if (!AMOUNT.test(raw) || new Decimal(raw).lte(0)) throw invalid(name, "Expected a positive decimal.");
    const ratio = mid.times(SPREAD).toSignificantDigits(10, Decimal.ROUND_DOWN);
    const fromAmount = rawFrom
      ? new Decimal(rawFrom)
      : new Decimal(raw).div(ratio).toDecimalPlaces(8, Decimal.ROUND_UP);
    const toAmount = rawFrom
      ? fromAmount.times(ratio).toDecimalPlaces(8, Decimal.ROUND_DOWN)
      : new Decimal(raw);
    const [min, max] = this.#limits(from);
    if (fromAmount.lt(min) || fromAmount.gt(max)) {
      throw invalid(name, `The ${from} amount must be within ${min.toFixed()} and ${max.toFixed()}.`);
    }
    const validTimestamp = this.#now() + valid;
    const body = {
      ratio: ratio.toFixed(),
      inverseRatio: new Decimal(1).div(ratio).toSignificantDigits(10, Decimal.ROUND_DOWN).toFixed(),
      validTimestamp,
      toAmount: toAmount.toFixed(),
      fromAmount: fromAmount.toFixed(),
    };
    // no quote id without the funds to convert
    if (this.#t.spotAccount(apiKey).get(from).free.lt(fromAmount)) return body;
    const quoteId = `${this.#now().toString(16)}${(this.#next++).toString(16).padStart(8, "0")}`;
    this.#quotes.set(quoteId, {
      quoteId,
      apiKey,
      fromAsset: from,
      toAsset: to,
      fromAmount,
      toAmount,
      ratio,
      validTimestamp,
    });
    return { quoteId, ...body };
  }

  /**
   * `POST /sapi/v1/convert/acceptQuote`: `quoteId`. Settles at once; the order is `FAIL` when
   * the free balance no longer covers it.
   *
   * @throws {ApiError} -1102 missing, -1130 unknown, used or expired quote
   */
  accept(apiKey: string, p: URLSearchParams): Json {
    const id = p.get("quoteId");
    if (!id) throw missingParam("quoteId");
    const q = this.#quotes.get(id);
    if (!q || q.apiKey !== apiKey) throw invalid("quoteId", "Unknown or used quote.");
    const now = this.#now();
    if (now > q.validTimestamp) {
      this.#quotes.delete(id);
      throw invalid("quoteId", "Quote expired.");
    }
    this.#quotes.delete(id);
    const covered = this.#t.spotAccount(apiKey).get(q.fromAsset).free.gte(q.fromAmount);
    if (covered) {
      this.#t.spotMove(apiKey, q.fromAsset, q.fromAmount.neg());
      this.#t.spotMove(apiKey, q.toAsset, q.toAmount);
    }
    const order: ConvertOrder = {
      orderId: this.#next++,
      quote: q,
      status: covered ? "SUCCESS" : "FAIL",
      createTime: now,
    };
    this.#orders.push(order);
    return { orderId: String(order.orderId), createTime: now, orderStatus: "PROCESS" };
  }

  #row(o: ConvertOrder): Record<string, Json> {
    const q = o.quote;
    return {
      quoteId: q.quoteId,
      orderId: o.orderId,
      orderStatus: o.status,
      fromAsset: q.fromAsset,
      fromAmount: q.fromAmount.toFixed(),
      toAsset: q.toAsset,
      toAmount: q.toAmount.toFixed(),
      ratio: q.ratio.toFixed(),
      inverseRatio: new Decimal(1).div(q.ratio).toSignificantDigits(10, Decimal.ROUND_DOWN).toFixed(),
      createTime: o.createTime,
    };
  }

  /**
   * `GET /sapi/v1/convert/orderStatus`: `orderId` or `quoteId`.
   *
   * @throws {ApiError} -1102 neither, -1130 unknown
   */
  status(apiKey: string, p: URLSearchParams): Json {
    const orderId = p.get("orderId");
    const quoteId = p.get("quoteId");
    if (!orderId && !quoteId) throw missingParam("orderId");
    const o = this.#orders.find((x) =>
      x.quote.apiKey === apiKey && (orderId ? String(x.orderId) === orderId : x.quote.quoteId === quoteId)
    );
    if (!o) throw invalid(orderId ? "orderId" : "quoteId", "Unknown order.");
    const { quoteId: _, ...rest } = this.#row(o);
    return rest;
  }

  /**
   * `GET /sapi/v1/convert/tradeFlow`: `startTime`, `endTime` (at most 30 days apart), `limit`
   * (default 100, max 1000).
   *
   * @throws {ApiError} -1102 missing, -1127 span above 30 days
   */
  tradeFlow(apiKey: string, p: URLSearchParams): Json {
    const start = Number(p.get("startTime"));
    const end = Number(p.get("endTime"));
    if (!p.get("startTime")) throw missingParam("startTime");
    if (!p.get("endTime")) throw missingParam("endTime");
    if (end - start > 30 * 86_400_000) throw new ApiError(-1127, "Lookup interval is too big.");
    const limit = Math.min(Math.max(Number(p.get("limit") ?? 100) || 100, 1), 1000);
    const rows = this.#orders.filter((o) =>
      o.quote.apiKey === apiKey && o.createTime >= start && o.createTime <= end
    );
    return {
      list: rows.slice(0, limit).map((o) => this.#row(o)),
      startTime: start,
      endTime: end,
      limit,
      moreData: rows.length > limit,
    };
  }
}
