/**
 * USDⓈ-M algo (conditional) orders, Binance's Algo Service since 2025-12-09: `STOP`,
 * `STOP_MARKET`, `TAKE_PROFIT`, `TAKE_PROFIT_MARKET` and `TRAILING_STOP_MARKET` live on
 * `/fapi/v1/algoOrder` (plain `/fapi/v1/order` answers -4120) with their own ids (`algoId`,
 * `clientAlgoId`) and `ALGO_UPDATE` events: NEW → TRIGGERING → TRIGGERED (the order placed in the
 * matching engine, `ai`) → FINISHED once that order is done; CANCELED; REJECTED when the
 * triggered order is refused (nothing to reduce, no margin) with the reason in `rm`.
 *
 * @module
 */
import { ApiError, missingParam } from "./api_error.ts";
import { dec } from "./futures_account.ts";
import type { FuturesEngine, FuturesOrder } from "./futures_engine.ts";
import { fires, initialState, parseTrigger, type TriggerSpec, type TriggerState } from "./futures_trigger.ts";
import type { Market } from "./market.ts";
import { marketOf, type Params } from "./order_params.ts";
import { fmtPrice, fmtQty, type Json } from "./payloads.ts";

/** Algo order status. */
export type AlgoStatus =
  | "NEW"
  | "CANCELED"
  | "TRIGGERING"
  | "TRIGGERED"
  | "FINISHED"
  | "REJECTED"
  | "EXPIRED";

/** One algo order. */
export interface AlgoOrder {
  readonly apiKey: string;
  readonly algoId: number;
  readonly clientAlgoId: string;
  readonly symbol: string;
  readonly spec: TriggerSpec;
  readonly state: TriggerState;
  status: AlgoStatus;
  readonly createTime: number;
  updateTime: number;
  triggerTime: number;
  /** The order placed when it triggered (0 before). */
  actualOrderId: number;
  /** Why the triggered order was refused. */
  reason: string;
}

const OPEN: ReadonlySet<AlgoStatus> = new Set(["NEW", "TRIGGERING"]);
const ID_RE = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** The algo orders of the USD-M engine. */
export class AlgoBook {
  readonly orders: Map<number, AlgoOrder> = new Map();
  readonly #engine: FuturesEngine;
  readonly #emit: (apiKey: string, event: Json) => void;
  readonly #now: () => number;
  #nextId = 3_000_000_001;

  /** Creates the book of an engine; `emit` delivers `ALGO_UPDATE` events. */
  constructor(engine: FuturesEngine, emit: (apiKey: string, event: Json) => void, now: () => number) {
    this.#engine = engine;
    this.#emit = emit;
    this.#now = now;
  }

  #market(a: AlgoOrder): Market {
    return this.#engine.market(a.symbol)!;
  }

  /**
   * `POST /fapi/v1/algoOrder` (WebSocket `algoOrder.place`).
   *
   * @throws {ApiError} with Binance's codes (see `parseTrigger`), -1102 / -1130 `algoType`,
   * -1100 `clientAlgoId`, -4116 duplicate `clientAlgoId`
   */
  place(apiKey: string, p: Params): Json {
    const algoType = p.get("algoType");
    if (algoType === null || algoType === "") throw missingParam("algoType");
    if (algoType !== "CONDITIONAL") {
      throw new ApiError(-1130, "Data sent for parameter 'algoType' is not valid.");
    }
    const m = marketOf((s) => this.#engine.market(s), p);
    const cid = p.get("clientAlgoId") ?? `emualgo${this.#nextId.toString(36)}`;
    if (!ID_RE.test(cid)) {
      throw new ApiError(
        -1100,
        "Illegal characters found in parameter 'clientAlgoId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.",
      );
    }
    for (const a of this.orders.values()) {
      if (a.apiKey === apiKey && a.clientAlgoId === cid && OPEN.has(a.status)) {
        throw new ApiError(-4116, "clientOrderId is duplicated.");
      }
    }
    const spec = parseTrigger(
      m,
      p,
      this.#engine.account(apiKey),
      { stopPrice: "triggerPrice", activation: "activatePrice" },
      (side, type) =>
        this.open(apiKey, m.spec.symbol).some((a) =>
          a.spec.closePosition && a.spec.side === side && a.spec.type === type
        ),
    );
    const now = this.#now();
    const a: AlgoOrder = {
      apiKey,
      algoId: this.#nextId++,
      clientAlgoId: cid,
      symbol: m.spec.symbol,
      spec,
      state: initialState(spec, m),
      status: "NEW",
      createTime: now,
      updateTime: now,
      triggerTime: 0,
      actualOrderId: 0,
      reason: "",
    };
    this.orders.set(a.algoId, a);
    this.#update(a);
    return this.json(a);
  }

  /** Finds an algo order by `algoId` or `clientAlgoId` (-1102 / -2013). */
  find(apiKey: string, p: Params): AlgoOrder {
    const id = p.get("algoId");
    const cid = p.get("clientAlgoId");
    if (id === null && cid === null) {
      throw new ApiError(-1102, "Param 'algoId' or 'clientAlgoId' must be sent, but both were empty/null!");
    }
    let found: AlgoOrder | undefined;
    for (const a of this.orders.values()) {
      if (a.apiKey === apiKey && (id !== null ? String(a.algoId) === id : a.clientAlgoId === cid)) found = a;
    }
    if (!found) throw new ApiError(-2013, "Order does not exist.");
    return found;
  }

  /** `DELETE /fapi/v1/algoOrder` (-2011 when it is no longer open). */
  cancel(apiKey: string, p: Params): Json {
    const a = this.find(apiKey, p);
    if (!OPEN.has(a.status)) throw new ApiError(-2011, "Unknown order sent.");
    this.#end(a, "CANCELED");
    return { algoId: a.algoId, clientAlgoId: a.clientAlgoId, code: "200", msg: "success" };
  }

  /** `DELETE /fapi/v1/algoOpenOrders`: cancels the open algo orders of a symbol. */
  cancelAll(apiKey: string, symbol: string): Json {
    for (const a of this.open(apiKey, symbol)) this.#end(a, "CANCELED");
    return { code: 200, msg: "The operation of cancel all open order is done." };
  }

  /** Open (untriggered) algo orders of an account. */
  open(apiKey: string, symbol?: string): AlgoOrder[] {
    return [...this.orders.values()].filter((a) =>
      a.apiKey === apiKey && OPEN.has(a.status) && (symbol === undefined || a.symbol === symbol)
    );
  }

  #end(a: AlgoOrder, status: AlgoStatus, reason = ""): void {
    a.status = status;
    a.reason = reason;
    a.updateTime = this.#now();
    this.#update(a);
  }

  /** The REST shape of an algo order. */
  json(a: AlgoOrder): Json {
    const m = this.#market(a);
    const s = a.spec;
    const actual = a.actualOrderId > 0 ? this.#engine.orders.get(a.actualOrderId) : undefined;
    return {
      algoId: a.algoId,
      clientAlgoId: a.clientAlgoId,
      algoType: "CONDITIONAL",
      orderType: s.type,
      symbol: a.symbol,
      side: s.side,
      positionSide: s.positionSide,
      timeInForce: s.timeInForce,
      quantity: fmtQty(m, s.qty),
      algoStatus: a.status,
      actualOrderId: a.actualOrderId > 0 ? String(a.actualOrderId) : "",
      actualPrice: actual && actual.executed > 0 ? avgOf(m, actual) : "",
      triggerPrice: s.stopPrice > 0 ? fmtPrice(m, s.stopPrice) : "0",
      price: fmtPrice(m, s.price),
      icebergQuantity: null,
      tpTriggerPrice: "0",
      tpPrice: "0",
      slTriggerPrice: "0",
      slPrice: "0",
      tpOrderType: "",
      selfTradePreventionMode: "EXPIRE_MAKER",
      workingType: s.workingType,
      priceMatch: "NONE",
      closePosition: s.closePosition,
      priceProtect: s.priceProtect,
      reduceOnly: s.reduceOnly && !s.closePosition && s.positionSide === "BOTH",
      activatePrice: s.activationPrice > 0 ? fmtPrice(m, s.activationPrice) : "",
      callbackRate: s.callbackRate,
      createTime: a.createTime,
      updateTime: a.updateTime,
      triggerTime: a.triggerTime,
      goodTillDate: 0,
    };
  }

  #update(a: AlgoOrder): void {
    const m = this.#market(a);
    const s = a.spec;
    const actual = a.actualOrderId > 0 ? this.#engine.orders.get(a.actualOrderId) : undefined;
    const E = this.#now();
    this.#emit(a.apiKey, {
      e: "ALGO_UPDATE",
      T: E,
      E,
      o: {
        caid: a.clientAlgoId,
        aid: a.algoId,
        at: "CONDITIONAL",
        o: s.type,
        s: a.symbol,
        S: s.side,
        ps: s.positionSide,
        f: s.timeInForce,
        q: fmtQty(m, s.qty),
        X: a.status,
        ai: a.actualOrderId > 0 ? String(a.actualOrderId) : "",
        ap: actual && actual.executed > 0 ? avgOf(m, actual) : "0",
        aq: actual ? fmtQty(m, actual.executed) : "0",
        act: actual ? actual.type : "0",
        tp: s.stopPrice > 0 ? fmtPrice(m, s.stopPrice) : "0",
        p: fmtPrice(m, s.price),
        V: "EXPIRE_MAKER",
        wt: s.workingType,
        pm: "NONE",
        cp: s.closePosition,
        pP: s.priceProtect,
        R: s.reduceOnly && !s.closePosition && s.positionSide === "BOTH",
        tt: a.triggerTime,
        gtd: 0,
        ...(a.reason !== "" ? { rm: a.reason } : {}),
      },
    });
  }

  /** After each step of a market: triggers its algo orders. */
  afterStep(m: Market): void {
    for (const a of [...this.orders.values()]) {
      if (a.symbol !== m.spec.symbol || a.status !== "NEW" || !fires(a.spec, a.state, m)) continue;
      a.triggerTime = this.#now();
      this.#end(a, "TRIGGERING");
      let placed: Json | null;
      try {
        placed = this.#engine.placeTriggered(a.apiKey, m, a.spec, {
          clientOrderId: a.clientAlgoId,
          algoId: a.algoId,
        });
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        this.#end(a, "REJECTED", e.message);
        continue;
      }
      if (placed === null) {
        this.#end(a, "REJECTED", "Reduce Only reject");
        continue;
      }
      a.actualOrderId = (placed as { orderId: number }).orderId;
      this.#end(a, "TRIGGERED");
      const o = this.#engine.orders.get(a.actualOrderId);
      if (o && terminal(o)) this.#end(a, "FINISHED");
    }
  }

  /** An update of a triggered order: the algo order finishes with it. */
  onOrder(o: FuturesOrder): void {
    const a = o.algoId === undefined ? undefined : this.orders.get(o.algoId);
    if (a && a.status === "TRIGGERED" && a.actualOrderId === o.orderId && terminal(o)) {
      this.#end(a, "FINISHED");
    }
  }
}

function terminal(o: FuturesOrder): boolean {
  return o.status === "FILLED" || o.status === "CANCELED" || o.status === "EXPIRED";
}

function avgOf(m: Market, o: FuturesOrder): string {
  const q = o.cumPriceQty.div(dec(o.executed, m.spec.qtyDecimals));
  return q.toFixed(m.spec.priceDecimals);
}
