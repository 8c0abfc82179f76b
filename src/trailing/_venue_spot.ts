/**
 * Spot and margin (cross, isolated) venue adapters. Spot replaces atomically with
 * `order.cancelReplace` on the WebSocket API (REST `POST /api/v3/order/cancelReplace` when there
 * is no WebSocket API or it cannot answer); margin has no cancel-replace endpoint, and a second
 * SELL stop cannot be placed next to the first (the first locks the balance), so margin cancels
 * and places back to back.
 *
 * @module
 */
import { isBinanceApiError } from "../core/errors.ts";
import { compareDecimal } from "../core/decimal.ts";
import type { BinanceRestClient } from "../rest/client.ts";
import type { Order } from "../rest/types_account.ts";
import type { SymbolInfo } from "../rest/types_market.ts";
import type { BinanceWebSocketManager } from "../ws/manager.ts";
import type { Holding, OrderSnapshot, VenueAdapter, VenueKind, WireStop } from "./_venue.ts";
import { Dec, snapshotFromOrder, wireParams } from "./_venue_common.ts";

/** What the spot/margin adapter needs. */
export interface SpotVenueOptions {
  readonly kind: Extract<VenueKind, "spot" | "margin" | "isolated_margin">;
  readonly symbol: string;
  readonly rest: BinanceRestClient;
  /** WebSocket manager with an API stream labelled `apiLabel` (spot only). */
  readonly ws?: BinanceWebSocketManager;
  readonly apiLabel?: string;
  /** WebSocket-API request timeout. */
  readonly timeoutMs?: number;
}

const UNKNOWN = new Set([-2013, -2011]);

/** Spot / margin adapter (see the module doc). */
export class SpotVenue implements VenueAdapter {
  readonly kind: SpotVenueOptions["kind"];
  readonly replaceStrategy: VenueAdapter["replaceStrategy"];
  readonly #o: SpotVenueOptions;
  #info: SymbolInfo | undefined;
  #base = "";
  #quote = "";

  constructor(options: SpotVenueOptions) {
    this.#o = options;
    this.kind = options.kind;
    this.replaceStrategy = options.kind === "spot" ? "cancelReplace" : "cancelThenPlace";
  }

  get #isolated(): { isIsolated?: "TRUE" } {
    return this.kind === "isolated_margin" ? { isIsolated: "TRUE" } : {};
  }

  async symbolInfo(): Promise<SymbolInfo> {
    if (this.#info) return this.#info;
    const info = await this.#o.rest.getSymbolInfo(this.#o.symbol);
    if (!info) throw new RangeError(`Unknown market ${this.#o.symbol}: not listed in exchangeInfo`);
    this.#info = info;
    this.#base = info.baseAsset;
    this.#quote = info.quoteAsset;
    return info;
  }

  async holding(side: "long" | "short", ownLocked: string): Promise<Holding> {
    await this.symbolInfo();
    const base = this.#base;
    let free = "0";
    let borrowed = "0";
    if (this.kind === "spot") {
      const b = await this.#o.rest.getAssetBalance({ asset: base });
      free = b?.free ?? "0";
    } else if (this.kind === "margin") {
      const acc = await this.#o.rest.getMarginAccount();
      const a = acc.userAssets.find((x) => x.asset === base);
      free = a?.free ?? "0";
      borrowed = a?.borrowed ?? "0";
    } else {
      const acc = await this.#o.rest.getIsolatedMarginAccount({ symbols: this.#o.symbol });
      const pair = (acc.assets as readonly Record<string, unknown>[]).find((x) =>
        x.symbol === this.#o.symbol
      );
      const a = pair?.baseAsset as Record<string, string> | undefined;
      free = a?.free ?? "0";
      borrowed = a?.borrowed ?? "0";
    }
    if (side === "short") {
      // a short on margin is the borrowed base; the BUY stop buys it back
      return {
        quantity: new Dec(borrowed).toFixed(),
        direction: compareDecimal(borrowed, "0") > 0 ? "short" : "flat",
      };
    }
    const q = new Dec(free).plus(ownLocked);
    return { quantity: q.toFixed(), direction: q.gt(0) ? "long" : "flat" };
  }

  async place(order: WireStop, clientOrderId: string): Promise<OrderSnapshot> {
    const params = { symbol: this.#o.symbol, ...wireParams(order), newClientOrderId: clientOrderId };
    const o = this.kind === "spot"
      ? await this.#o.rest.createOrder({ ...params, newOrderRespType: "RESULT" })
      : await this.#o.rest.createMarginOrder({
        ...params,
        ...this.#isolated,
        // a long's stop sells what is held; a short's stop repays the loan with what it buys
        sideEffectType: order.side === "BUY" ? "AUTO_REPAY" : "NO_SIDE_EFFECT",
        newOrderRespType: "RESULT",
      });
    return snapshotFromOrder(o, order);
  }

  async cancelReplace(
    oldClientOrderId: string,
    order: WireStop,
    clientOrderId: string,
  ): Promise<OrderSnapshot> {
    const params = {
      symbol: this.#o.symbol,
      cancelReplaceMode: "STOP_ON_FAILURE" as const,
      cancelOrigClientOrderId: oldClientOrderId,
      ...wireParams(order),
      newClientOrderId: clientOrderId,
      newOrderRespType: "RESULT" as const,
    };
    const ws = this.#o.ws;
    if (ws && this.#o.apiLabel) {
      const r = await ws.api.spot.cancelAndReplaceOrder(params, {
        label: this.#o.apiLabel,
        timeoutMs: this.#o.timeoutMs ?? 5000,
      });
      const result = r.result as { newOrderResponse?: Order };
      return snapshotFromOrder(result.newOrderResponse ?? { clientOrderId, orderId: 0 }, order);
    }
    const r = await this.#o.rest.cancelReplaceOrder(params);
    return snapshotFromOrder(
      r.newOrderResponse ?? { symbol: this.#o.symbol, clientOrderId, orderId: 0 },
      order,
    );
  }

  async cancel(clientOrderId: string): Promise<OrderSnapshot | null> {
    try {
      const ref = { symbol: this.#o.symbol, origClientOrderId: clientOrderId };
      const o = this.kind === "spot"
        ? await this.#o.rest.cancelOrder(ref)
        : await this.#o.rest.cancelMarginOrder({ ...ref, ...this.#isolated });
      return snapshotFromOrder(o);
    } catch (e) {
      if (isBinanceApiError(e) && UNKNOWN.has(e.code)) return null;
      throw e;
    }
  }

  async query(clientOrderId: string): Promise<OrderSnapshot | null> {
    try {
      const ref = { symbol: this.#o.symbol, origClientOrderId: clientOrderId };
      const o = this.kind === "spot"
        ? await this.#o.rest.getOrder(ref)
        : await this.#o.rest.getMarginOrder({ ...ref, ...this.#isolated });
      return snapshotFromOrder(o);
    } catch (e) {
      if (isBinanceApiError(e) && UNKNOWN.has(e.code)) return null;
      throw e;
    }
  }

  async openOrders(): Promise<OrderSnapshot[]> {
    const list = this.kind === "spot"
      ? await this.#o.rest.getOpenOrders({ symbol: this.#o.symbol })
      : await this.#o.rest.getOpenMarginOrders({ symbol: this.#o.symbol, ...this.#isolated });
    return (list as Order[]).map((o) => snapshotFromOrder(o));
  }

  async enter(
    order: Parameters<VenueAdapter["enter"]>[0],
    clientOrderId: string,
  ): Promise<OrderSnapshot> {
    const params = {
      symbol: this.#o.symbol,
      side: order.side,
      type: order.type,
      ...(order.type === "LIMIT" ? { timeInForce: "GTC", price: order.price } : {}),
      ...(order.quantity !== undefined
        ? { quantity: order.quantity }
        : { quoteOrderQty: order.quoteQuantity }),
      newClientOrderId: clientOrderId,
      newOrderRespType: "FULL" as const,
    };
    const o = this.kind === "spot"
      ? await this.#o.rest.createOrder(params)
      : await this.#o.rest.createMarginOrder({
        ...params,
        ...this.#isolated,
        sideEffectType: order.side === "BUY" ? "NO_SIDE_EFFECT" : "MARGIN_BUY",
      });
    return snapshotFromOrder(o);
  }

  orderUpdate(message: unknown): OrderSnapshot | null {
    const m = message as Record<string, unknown> | null;
    if (!m || m.eventType !== "executionReport" || m.symbol !== this.#o.symbol) return null;
    // a cancel event names the cancel request in `c` and the order in `C`
    const original = typeof m.originalClientOrderId === "string" && m.originalClientOrderId !== ""
      ? m.originalClientOrderId
      : String(m.clientOrderId);
    return {
      clientOrderId: original,
      orderId: String(m.orderId),
      status: String(m.currentOrderStatus),
      type: String(m.orderType),
      side: m.side === "BUY" ? "BUY" : "SELL",
      quantity: String(m.orderQuantity),
      filled: String(m.cumulativeFilledQuantity),
      filledQuote: String(m.cumulativeQuoteAssetTransactedQuantity),
      stopPrice: String(m.stopPrice),
      price: String(m.orderPrice),
      reason: typeof m.orderRejectReason === "string" ? m.orderRejectReason : undefined,
    };
  }

  /** Base and quote asset (after `symbolInfo()`). */
  get assets(): { base: string; quote: string } {
    return { base: this.#base, quote: this.#quote };
  }
}
