/**
 * USDⓈ-M and COIN-M venue adapter. Futures have no cancel-replace for stops, so a move places the
 * new stop first and cancels the old one right after (one stop is always on the book). Both are
 * `reduceOnly` with the position's quantity: for the moment both exist the book holds twice the
 * position on stops, but a reduce-only order can never open or grow a position, so at most the
 * position can be executed in total (Binance cancels the second once the position is flat). A
 * `closePosition` stop cannot be doubled (Binance allows one per direction, `-4130`), so with
 * `closePosition` a move cancels first and places right after.
 *
 * USDⓈ-M conditional orders go through the REST client's `futuresCreateOrder`, which routes them
 * to `/fapi/v1/algoOrder` as Binance requires since 2025-12; COIN-M keeps `/dapi/v1/order`.
 *
 * @module
 */
import { isBinanceApiError } from "../core/errors.ts";
import type { BinanceRestClient } from "../rest/client.ts";
import type { FuturesOrder } from "../rest/types_futures.ts";
import type { SymbolInfo } from "../rest/types_market.ts";
import type { Holding, OrderSnapshot, VenueAdapter, WireStop } from "./_venue.ts";
import { Dec, snapshotFromOrder, wireParams } from "./_venue_common.ts";

/** What the futures adapter needs. */
export interface FuturesVenueOptions {
  readonly kind: "usdm" | "coinm";
  readonly symbol: string;
  readonly rest: BinanceRestClient;
  readonly closePosition?: boolean;
  readonly workingType?: "CONTRACT_PRICE" | "MARK_PRICE";
}

const UNKNOWN = new Set([-2013, -2011]);
const CONDITIONAL = new Set([
  "STOP",
  "STOP_MARKET",
  "TAKE_PROFIT",
  "TAKE_PROFIT_MARKET",
  "TRAILING_STOP_MARKET",
]);

/** USDⓈ-M / COIN-M adapter (see the module doc). */
export class FuturesVenue implements VenueAdapter {
  readonly kind: "usdm" | "coinm";
  readonly replaceStrategy: VenueAdapter["replaceStrategy"];
  readonly #o: FuturesVenueOptions;
  #info: SymbolInfo | undefined;

  constructor(options: FuturesVenueOptions) {
    this.#o = options;
    this.kind = options.kind;
    this.replaceStrategy = options.closePosition ? "cancelThenPlace" : "placeThenCancel";
  }

  get #coin(): boolean {
    return this.kind === "coinm";
  }

  /** USDⓈ-M conditional types live on the algo API (client id `clientAlgoId`). */
  #algo(type: string): boolean {
    return !this.#coin && CONDITIONAL.has(type);
  }

  async symbolInfo(): Promise<SymbolInfo> {
    if (this.#info) return this.#info;
    const info = await this.#o.rest.getSymbolInfo(this.#o.symbol);
    if (!info) throw new RangeError(`Unknown market ${this.#o.symbol}: not listed in exchangeInfo`);
    this.#info = info;
    return info;
  }

  async holding(_side: "long" | "short", _ownLocked: string): Promise<Holding> {
    const rows = this.#coin
      ? await this.#o.rest.futuresCoinPositionInformation()
      : await this.#o.rest.futuresPositionInformation({ symbol: this.#o.symbol });
    // one-way mode: one row per symbol (hedge mode would need positionSide on every order)
    const amt = rows
      .filter((r) => r.symbol === this.#o.symbol)
      .reduce((s, r) => s.plus(r.positionAmt), new Dec(0));
    return { quantity: amt.abs().toFixed(), direction: amt.gt(0) ? "long" : amt.lt(0) ? "short" : "flat" };
  }

  #params(order: WireStop, clientOrderId: string): Record<string, string | number | boolean> {
    const p: Record<string, string | number | boolean> = {
      symbol: this.#o.symbol,
      ...wireParams(order),
      newClientOrderId: clientOrderId,
      ...(this.#o.workingType ? { workingType: this.#o.workingType } : {}),
    };
    // an exit (MARKET / LIMIT) is a plain reduce-only order: closePosition is for conditional types
    if (this.#o.closePosition && CONDITIONAL.has(order.type) && order.type !== "TRAILING_STOP_MARKET") {
      delete p.quantity;
      p.closePosition = "true";
    } else p.reduceOnly = "true";
    return p;
  }

  async place(order: WireStop, clientOrderId: string): Promise<OrderSnapshot> {
    const p = this.#params(order, clientOrderId) as unknown as Parameters<
      BinanceRestClient["futuresCreateOrder"]
    >[0];
    const o = this.#coin
      ? await this.#o.rest.futuresCoinCreateOrder(p)
      : await this.#o.rest.futuresCreateOrder(p);
    return snapshotFromOrder(o as Record<string, unknown>, order);
  }

  async cancel(clientOrderId: string, type?: string): Promise<OrderSnapshot | null> {
    try {
      if (this.#coin) {
        return snapshotFromOrder(
          await this.#o.rest.futuresCoinCancelOrder({
            symbol: this.#o.symbol,
            origClientOrderId: clientOrderId,
          }),
        );
      }
      if (type === undefined || this.#algo(type)) {
        try {
          const r = await this.#o.rest.futuresCancelAlgoOrder({ clientAlgoId: clientOrderId });
          // the answer is `{ algoId, clientAlgoId, code, msg }`: a success means cancelled
          return snapshotFromOrder({ clientAlgoId: clientOrderId, ...r, status: r.algoStatus ?? "CANCELED" });
        } catch (e) {
          if (type !== undefined || !isBinanceApiError(e) || !UNKNOWN.has(e.code)) throw e;
        }
      }
      return snapshotFromOrder(
        await this.#o.rest.futuresCancelOrder({ symbol: this.#o.symbol, origClientOrderId: clientOrderId }),
      );
    } catch (e) {
      if (isBinanceApiError(e) && UNKNOWN.has(e.code)) return null;
      throw e;
    }
  }

  async query(clientOrderId: string): Promise<OrderSnapshot | null> {
    try {
      if (this.#coin) {
        return snapshotFromOrder(
          await this.#o.rest.futuresCoinGetOrder({
            symbol: this.#o.symbol,
            origClientOrderId: clientOrderId,
          }),
        );
      }
      try {
        const a = await this.#o.rest.futuresGetAlgoOrder({ clientAlgoId: clientOrderId }) as Record<
          string,
          unknown
        >;
        const snap = algoSnapshot(a);
        const actual = String(a.actualOrderId ?? "");
        if (!/^[1-9]\d*$/.test(actual)) return snap;
        // triggered: the order it became says what was filled (the algo answer has no quantity)
        const o = snapshotFromOrder(
          await this.#o.rest.futuresGetOrder({ symbol: this.#o.symbol, orderId: BigInt(actual) }),
        );
        const { averagePrice: _, ...rest } = snap;
        return {
          ...rest,
          status: o.status,
          filled: o.filled,
          ...(o.averagePrice ? { averagePrice: o.averagePrice } : {}),
        };
      } catch (e) {
        if (!isBinanceApiError(e) || !UNKNOWN.has(e.code)) throw e;
      }
      return snapshotFromOrder(
        await this.#o.rest.futuresGetOrder({ symbol: this.#o.symbol, origClientOrderId: clientOrderId }),
      );
    } catch (e) {
      if (isBinanceApiError(e) && UNKNOWN.has(e.code)) return null;
      throw e;
    }
  }

  async openOrders(): Promise<OrderSnapshot[]> {
    if (this.#coin) {
      return (await this.#o.rest.futuresCoinGetOpenOrders({ symbol: this.#o.symbol })).map((o) =>
        snapshotFromOrder(o)
      );
    }
    const [plain, algo] = await Promise.all([
      this.#o.rest.futuresGetOpenOrders({ symbol: this.#o.symbol }),
      this.#o.rest.futuresGetOpenAlgoOrders({ symbol: this.#o.symbol }),
    ]);
    return [
      ...(plain as FuturesOrder[]).map((o) => snapshotFromOrder(o)),
      ...algo.map((o) => algoSnapshot(o as Record<string, unknown>)),
    ];
  }

  async enter(order: Parameters<VenueAdapter["enter"]>[0], clientOrderId: string): Promise<OrderSnapshot> {
    const p = {
      symbol: this.#o.symbol,
      side: order.side,
      type: order.type,
      ...(order.type === "LIMIT" ? { timeInForce: "GTC", price: order.price } : {}),
      quantity: order.quantity,
      newClientOrderId: clientOrderId,
      newOrderRespType: "RESULT",
    };
    const o = this.#coin
      ? await this.#o.rest.futuresCoinCreateOrder(p)
      : await this.#o.rest.futuresCreateOrder(p);
    return snapshotFromOrder(o as Record<string, unknown>);
  }

  orderUpdate(message: unknown): OrderSnapshot | null {
    const m = message as Record<string, unknown> | null;
    if (!m) return null;
    if (m.eventType === "ORDER_TRADE_UPDATE" || m.e === "ORDER_TRADE_UPDATE") {
      // UnicornFy form, or the raw frame when the venue has no UnicornFy table
      const o = (m.e === "ORDER_TRADE_UPDATE" ? m.o : m) as Record<string, unknown>;
      const symbol = o.symbol ?? o.s;
      if (symbol !== this.#o.symbol) return null;
      const type = String(o.orderType ?? o.o);
      let status = String(o.currentOrderStatus ?? o.X);
      // a conditional order reports EXPIRED as itself when it triggers, then NEW again as the
      // MARKET/LIMIT order it became (same id): it is still the engine's stop, now working
      if (status === "EXPIRED" && CONDITIONAL.has(type)) status = "TRIGGERED";
      return {
        clientOrderId: String(o.clientOrderId ?? o.c),
        orderId: String(o.orderId ?? o.i),
        status,
        type,
        side: (o.side ?? o.S) === "BUY" ? "BUY" : "SELL",
        quantity: String(o.orderQuantity ?? o.q),
        filled: String(o.cumulativeFilledQuantity ?? o.z),
        averagePrice: String(o.orderAvgPrice ?? o.ap),
        stopPrice: String(o.orderStopPrice ?? o.sp),
        price: String(o.orderPrice ?? o.p),
      };
    }
    const algo = m.e === "ALGO_UPDATE" || m.e === "ALGO_ORDER_UPDATE"
      ? m.o as Record<string, unknown>
      : undefined;
    if (algo && algo.s === this.#o.symbol) {
      let status = algoStatus(String(algo.X));
      // FINISHED: the triggered order is done — filled, or part of it expired (a thin book): then
      // the rest of the position still needs a stop (closePosition: `q` is 0)
      if (status === "FILLED" && algo.aq !== undefined && new Dec(String(algo.aq)).lt(String(algo.q ?? 0))) {
        status = "EXPIRED";
      }
      return {
        clientOrderId: String(algo.caid),
        orderId: String(algo.aid),
        status,
        type: String(algo.o),
        side: algo.S === "BUY" ? "BUY" : "SELL",
        quantity: String(algo.q),
        filled: String(algo.aq ?? "0"),
        ...(algo.ap !== undefined ? { averagePrice: String(algo.ap) } : {}),
        stopPrice: String(algo.tp),
        price: String(algo.p),
      };
    }
    return null;
  }
}

/** Algo statuses in order terms: a FINISHED algo order has filled (its triggered order did). */
function algoStatus(s: string): string {
  if (s === "FINISHED") return "FILLED";
  if (s === "TRIGGERING" || s === "TRIGGERED") return "NEW";
  return s;
}

function algoSnapshot(o: Record<string, unknown>): OrderSnapshot {
  const s = snapshotFromOrder({ ...o, status: algoStatus(String(o.algoStatus ?? "NEW")) });
  return { ...s, filled: String(o.executedQty ?? o.aq ?? s.filled) };
}
