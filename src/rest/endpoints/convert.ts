/**
 * Convert endpoints (`/sapi/v1/convert/*`): pairs and asset precision, quotes that expire, quote
 * acceptance, order status and trade history.
 *
 * @module
 */
import { ep } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import { SimpleEarnClient } from "./simple_earn.ts";
import type { Decimal } from "./spot_trading.ts";

/** A convertible pair with its amount limits. */
export interface ConvertPair {
  /** From asset. */
  readonly fromAsset: string;
  /** To asset. */
  readonly toAsset: string;
  /** From asset min amount. */
  readonly fromAssetMinAmount: string;
  /** From asset max amount. */
  readonly fromAssetMaxAmount: string;
  /** To asset min amount. */
  readonly toAssetMinAmount: string;
  /** To asset max amount. */
  readonly toAssetMaxAmount: string;
}

/** A quote; `quoteId` is absent when the wallet cannot pay `fromAmount`. */
export interface ConvertQuote {
  /** Quote id. */
  readonly quoteId?: string;
  /** Ratio. */
  readonly ratio: string;
  /** Inverse ratio. */
  readonly inverseRatio: string;
  /** Epoch ms after which `convertAcceptQuote` refuses the quote. */
  readonly validTimestamp: number;
  /** To amount. */
  readonly toAmount: string;
  /** From amount. */
  readonly fromAmount: string;
}

/** A convert order (`orderStatus` `PROCESS`, `ACCEPT_SUCCESS`, `SUCCESS` or `FAIL`). */
export interface ConvertOrder {
  /** Order id. */
  readonly orderId: number;
  /** Order status. */
  readonly orderStatus: string;
  /** From asset. */
  readonly fromAsset: string;
  /** From amount. */
  readonly fromAmount: string;
  /** To asset. */
  readonly toAsset: string;
  /** To amount. */
  readonly toAmount: string;
  /** Ratio. */
  readonly ratio: string;
  /** Inverse ratio. */
  readonly inverseRatio: string;
  /** Create time (epoch ms). */
  readonly createTime: number;
}

/** Parameters of {@link ConvertClient.convertRequestQuote} (`fromAmount` or `toAmount`). */
export interface ConvertQuoteOptions extends CallOptions {
  /** From asset. */
  readonly fromAsset: string;
  /** To asset. */
  readonly toAsset: string;
  /** Amount to pay (or give `toAmount`). */
  readonly fromAmount?: Decimal;
  /** Amount to receive (or give `fromAmount`). */
  readonly toAmount?: Decimal;
  /** `SPOT` (default) or `FUNDING`. */
  readonly walletType?: "SPOT" | "FUNDING";
  /** How long the quote holds: `10s` (default), `30s`, `1m`, `2m`. */
  readonly validTime?: "10s" | "30s" | "1m" | "2m";
}

const P = "/sapi/v1/convert";
const EXCHANGE_INFO = ep("GET", "sapi", `${P}/exchangeInfo`, "NONE", 3000);
const ASSET_INFO = ep("GET", "sapi", `${P}/assetInfo`, "SIGNED", 100);
const GET_QUOTE = ep("POST", "sapi", `${P}/getQuote`, "SIGNED", 200);
const ACCEPT_QUOTE = ep("POST", "sapi", `${P}/acceptQuote`, "SIGNED", 500);
const ORDER_STATUS = ep("GET", "sapi", `${P}/orderStatus`, "SIGNED", 100);
const TRADE_FLOW = ep("GET", "sapi", `${P}/tradeFlow`, "SIGNED", 3000);

/**
 * Convert methods.
 *
 * @example Quote and convert BTC to USDT (against the emulator)
 * ```ts
 * import { assert } from "@std/assert";
 * import { BinanceRestClient } from "../client.ts";
 * import { startEmulator } from "../../testing/mod.ts";
 *
 * const emu = await startEmulator({ paused: true, accounts: [{ apiKey: "k", secretKey: "s" }] });
 * try {
 *   const client = new BinanceRestClient({ baseUrl: emu.restUrl, apiKey: "k", apiSecret: "s" });
 *   const quote = await client.convertRequestQuote({ fromAsset: "BTC", toAsset: "USDT", fromAmount: "0.01" });
 *   assert(quote.quoteId !== undefined && quote.validTimestamp > Date.now());
 *   const order = await client.convertAcceptQuote({ quoteId: quote.quoteId });
 *   assert((await client.getConvertOrderStatus({ orderId: order.orderId })).orderStatus === "SUCCESS");
 * } finally {
 *   await emu.close();
 * }
 * ```
 */
export class ConvertClient extends SimpleEarnClient {
  /**
   * Convertible pairs (`GET /sapi/v1/convert/exchangeInfo`, public, weight 3000).
   *
   * @param options `fromAsset` and / or `toAsset` (at least one).
   * @returns The pairs with their limits.
   */
  getConvertExchangeInfo(
    options: CallOptions & { readonly fromAsset?: string; readonly toAsset?: string },
  ): Promise<ConvertPair[]> {
    return this.call(EXCHANGE_INFO, options);
  }

  /**
   * The precision of each convertible asset (`GET /sapi/v1/convert/assetInfo`, weight 100).
   *
   * @param options Abort signal.
   * @returns `[{ asset, fraction }]`.
   */
  getConvertAssetInfo(
    options?: CallOptions,
  ): Promise<{ readonly asset: string; readonly fraction: number }[]> {
    return this.call(ASSET_INFO, options);
  }

  /**
   * Requests a quote (`POST /sapi/v1/convert/getQuote`, UID weight 200). Python
   * (python-binance): `convert_request_quote`.
   *
   * @param options Assets, `fromAmount` or `toAmount`, `walletType`, `validTime`.
   * @returns The quote (no `quoteId` when the wallet cannot pay).
   */
  convertRequestQuote(options: ConvertQuoteOptions): Promise<ConvertQuote> {
    return this.call(GET_QUOTE, options);
  }

  /**
   * Accepts a quote before its `validTimestamp` (`POST /sapi/v1/convert/acceptQuote`, UID weight
   * 500). Python (python-binance): `convert_accept_quote`. Not retried: after a timeout, look the
   * order up with `getConvertOrderStatus({ quoteId })`.
   *
   * @param options `quoteId`.
   * @returns `{ orderId, createTime, orderStatus }`.
   */
  convertAcceptQuote(
    options: CallOptions & { readonly quoteId: string },
  ): Promise<{ readonly orderId: string; readonly createTime: number; readonly orderStatus: string }> {
    return this.call(ACCEPT_QUOTE, options);
  }

  /**
   * A convert order (`GET /sapi/v1/convert/orderStatus`, UID weight 100).
   *
   * @param options `orderId` or `quoteId`.
   * @returns The order.
   */
  getConvertOrderStatus(
    options: CallOptions & { readonly orderId?: string; readonly quoteId?: string },
  ): Promise<ConvertOrder> {
    return this.call(ORDER_STATUS, options);
  }

  /**
   * Convert history (`GET /sapi/v1/convert/tradeFlow`, UID weight 3000). Python (python-binance):
   * `get_convert_trade_history`.
   *
   * @param options `startTime`, `endTime` (at most 30 days apart), `limit` (default 100, max 1000).
   * @returns `{ list, startTime, endTime, limit, moreData }`.
   */
  getConvertTradeHistory(
    options: CallOptions & { readonly startTime: number; readonly endTime: number; readonly limit?: number },
  ): Promise<{
    readonly list: readonly (ConvertOrder & { readonly quoteId: string })[];
    readonly startTime: number;
    readonly endTime: number;
    readonly limit: number;
    readonly moreData: boolean;
  }> {
    return this.call(TRADE_FLOW, options);
  }
}
