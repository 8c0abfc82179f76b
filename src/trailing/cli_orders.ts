/**
 * `ubtsl --listopenorders` / `--cancelopenorders`: the open orders of one market on spot, cross
 * or isolated margin, USDⓈ-M (plain and algo orders: the engine's stops live on the algo API) and
 * COIN-M, each marked as ubtsl's own (client order id `tsl<6 hex>x…`, the manager's default
 * prefix) or someone else's.
 *
 * Python's `--cancelopenorders` cancelled every open order of the market, including those of other
 * tools and of the user. Here only ubtsl's own orders are cancelled unless `all` is set
 * (`--all-orders`); the orders left are always reported.
 *
 * @module
 */
import { isBinanceApiError } from "../core/errors.ts";
import { checkOptions, type OptionKeys, optionKeys } from "../core/_options.ts";
import type { BinanceRestClient } from "../rest/client.ts";

/** A venue the open-order commands work on. */
export type OrderVenueKind = "spot" | "margin" | "isolated_margin" | "usdm" | "coinm";

/** One open order, venue-independent, with Binance's object as it came. */
export interface OpenOrderView {
  /** `order` (the order API) or `algo` (USDⓈ-M conditional orders on `/fapi/v1/algoOrder`). */
  readonly api: "order" | "algo";
  /** `orderId` or `algoId` as a string. */
  readonly id: string;
  /** `clientOrderId` / `clientAlgoId`. */
  readonly clientOrderId: string;
  /** `true` for an order a ubtsl engine placed (its client order id prefix). */
  readonly own: boolean;
  /** BUY / SELL. */
  readonly side: string;
  /** Order type. */
  readonly type: string;
  /** Limit price (`"0"` when none). */
  readonly price: string;
  /** Trigger price (`"0"` when none). */
  readonly stopPrice: string;
  /** Quantity. */
  readonly quantity: string;
  /** Binance's order object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * Tells whether a client order id is a ubtsl engine's: the manager's default prefix
 * `tsl<6 hex>x`, or the given prefix (`clientOrderIdPrefix`).
 *
 * @param clientOrderId The id.
 * @param prefix A custom prefix.
 * @returns `true` for ubtsl's orders.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { isUbtslOrderId } from "./cli_orders.ts";
 *
 * assertEquals([isUbtslOrderId("tsl0a1b2cx3"), isUbtslOrderId("web_1234"), isUbtslOrderId("bot7", "bot")], [true, false, true]);
 * ```
 */
export function isUbtslOrderId(clientOrderId: string, prefix?: string): boolean {
  if (prefix && clientOrderId.startsWith(prefix)) return true;
  return /^tsl[0-9a-f]{6}x[0-9a-z]/.test(clientOrderId);
}

const str = (v: unknown, fallback = ""): string =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "bigint" ? String(v) : fallback;

function view(raw: Record<string, unknown>, api: "order" | "algo", prefix?: string): OpenOrderView {
  const clientOrderId = str(api === "algo" ? raw.clientAlgoId : raw.clientOrderId);
  return {
    api,
    id: str(api === "algo" ? raw.algoId : raw.orderId),
    clientOrderId,
    own: isUbtslOrderId(clientOrderId, prefix),
    side: str(raw.side),
    type: str(api === "algo" ? raw.orderType ?? raw.type : raw.type),
    price: str(raw.price, "0"),
    stopPrice: str(api === "algo" ? raw.triggerPrice : raw.stopPrice, "0"),
    quantity: str(api === "algo" ? raw.quantity : raw.origQty),
    raw,
  };
}

const iso = (kind: OrderVenueKind) => kind === "isolated_margin" ? { isIsolated: "TRUE" as const } : {};

/**
 * The open orders of a market.
 *
 * @param rest A signed REST client of the venue.
 * @param kind The venue.
 * @param symbol The market.
 * @param prefix A custom client order id prefix that also counts as ubtsl's.
 * @returns The orders (USDⓈ-M: plain orders, then algo orders).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BinanceRestClient } from "../rest/mod.ts";
 * import { startEmulator } from "../testing/mod.ts";
 * import { listOpenOrders } from "./cli_orders.ts";
 *
 * await using emu = await startEmulator({ paused: true, accounts: [{ apiKey: "k", secretKey: "s" }] });
 * const rest = new BinanceRestClient({ baseUrl: emu.restUrl, apiKey: "k", apiSecret: "s" });
 * assertEquals(await listOpenOrders(rest, "spot", "BTCUSDT"), []);
 * ```
 */
export async function listOpenOrders(
  rest: BinanceRestClient,
  kind: OrderVenueKind,
  symbol: string,
  prefix?: string,
): Promise<OpenOrderView[]> {
  const rows = (xs: readonly unknown[], api: "order" | "algo") =>
    xs.map((x) => view(x as Record<string, unknown>, api, prefix));
  switch (kind) {
    case "spot":
      return rows(await rest.getOpenOrders({ symbol }), "order");
    case "margin":
    case "isolated_margin":
      return rows(await rest.getOpenMarginOrders({ symbol, ...iso(kind) }), "order");
    case "usdm":
      return [
        ...rows(await rest.futuresGetOpenOrders({ symbol }), "order"),
        ...rows(await rest.futuresGetOpenAlgoOrders({ symbol }), "algo"),
      ];
    case "coinm":
      return rows(await rest.futuresCoinGetOpenOrders({ symbol }), "order");
  }
}

/** Options of {@link cancelOpenOrders}. */
export interface CancelOpenOrdersOptions {
  /** Also other tools' and the user's orders (Python's behaviour). */
  readonly all?: boolean;
  /** A custom client order id prefix that counts as ubtsl's. */
  readonly prefix?: string;
}

const CANCEL_KEYS: OptionKeys = optionKeys<CancelOpenOrdersOptions>({ all: true, prefix: true });

/** What {@link cancelOpenOrders} did. */
export interface CancelResult {
  /** Orders Binance cancelled (or that were gone already: `-2011` / `-2013`, e.g. the other leg of an OCO). */
  readonly cancelled: readonly OpenOrderView[];
  /** Orders left on the book on purpose (not ubtsl's, without `all`). */
  readonly left: readonly OpenOrderView[];
  /** Orders whose cancel failed, with Binance's answer. */
  readonly failed: readonly { readonly order: OpenOrderView; readonly error: Error }[];
}

/**
 * Cancels ubtsl's open orders of a market (every open order with `all`), one by one, so each
 * cancel is reported.
 *
 * @param rest A signed REST client of the venue.
 * @param kind The venue.
 * @param symbol The market.
 * @param options `all`: also other tools' and the user's orders (Python's behaviour); `prefix`: a
 *   custom prefix that counts as ubtsl's.
 * @returns Cancelled, left and failed orders.
 * @throws {TypeError} An unknown option key.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BinanceRestClient } from "../rest/mod.ts";
 * import { startEmulator } from "../testing/mod.ts";
 * import { cancelOpenOrders } from "./cli_orders.ts";
 *
 * await using emu = await startEmulator({ paused: true, accounts: [{ apiKey: "k", secretKey: "s" }] });
 * const rest = new BinanceRestClient({ baseUrl: emu.restUrl, apiKey: "k", apiSecret: "s" });
 * const r = await cancelOpenOrders(rest, "spot", "BTCUSDT");
 * assertEquals([r.cancelled.length, r.left.length, r.failed.length], [0, 0, 0]);
 * ```
 */
export async function cancelOpenOrders(
  rest: BinanceRestClient,
  kind: OrderVenueKind,
  symbol: string,
  options: CancelOpenOrdersOptions = {},
): Promise<CancelResult> {
  checkOptions(options, "cancelOpenOrders options", CANCEL_KEYS);
  const open = await listOpenOrders(rest, kind, symbol, options.prefix);
  const cancelled: OpenOrderView[] = [];
  const left: OpenOrderView[] = [];
  const failed: { order: OpenOrderView; error: Error }[] = [];
  for (const o of open) {
    if (!o.own && !options.all) {
      left.push(o);
      continue;
    }
    try {
      await cancelOne(rest, kind, symbol, o);
      cancelled.push(o);
    } catch (e) {
      if (isBinanceApiError(e) && (e.code === -2011 || e.code === -2013)) cancelled.push(o);
      else failed.push({ order: o, error: e as Error });
    }
  }
  return { cancelled, left, failed };
}

async function cancelOne(
  rest: BinanceRestClient,
  kind: OrderVenueKind,
  symbol: string,
  o: OpenOrderView,
): Promise<void> {
  const origClientOrderId = o.clientOrderId;
  switch (kind) {
    case "spot":
      await rest.cancelOrder({ symbol, origClientOrderId });
      return;
    case "margin":
    case "isolated_margin":
      await rest.cancelMarginOrder({ symbol, origClientOrderId, ...iso(kind) });
      return;
    case "usdm":
      if (o.api === "algo") await rest.futuresCancelAlgoOrder({ clientAlgoId: origClientOrderId });
      else await rest.futuresCancelOrder({ symbol, origClientOrderId });
      return;
    case "coinm":
      await rest.futuresCoinCancelOrder({ symbol, origClientOrderId });
      return;
  }
}

/**
 * One human-readable line of an open order.
 *
 * @param o The order.
 * @returns `SELL STOP_LOSS_LIMIT 0.5 at 64000.00 (trigger 64010.00) id 12 tsl0a1b2cx1 [ubtsl]`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { orderLine } from "./cli_orders.ts";
 *
 * const o = { api: "order", id: "7", clientOrderId: "x1", own: false, side: "BUY", type: "LIMIT", price: "1.5", stopPrice: "0", quantity: "2", raw: {} } as const;
 * assertEquals(orderLine(o), "BUY LIMIT 2 at 1.5 id 7 x1");
 * ```
 */
export function orderLine(o: OpenOrderView): string {
  const price = Number(o.price) > 0 ? ` at ${o.price}` : "";
  const trigger = Number(o.stopPrice) > 0 ? ` (trigger ${o.stopPrice})` : "";
  return `${o.side} ${o.type} ${o.quantity}${price}${trigger} id ${o.id}${
    o.api === "algo" ? " (algo)" : ""
  } ${o.clientOrderId}${o.own ? " [ubtsl]" : ""}`;
}
