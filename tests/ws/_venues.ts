/**
 * Test helper: for every venue of the catalog, the manager options that point its user data at
 * one emulator, and an account action that makes the emulator emit a user-data event there.
 *
 * @module
 */
import { type ExchangeName, getExchange } from "../../src/core/exchanges.ts";
import type { Emulator } from "../../src/testing/mod.ts";
import type { BinanceWebSocketManagerOptions } from "../../src/ws/manager.ts";
import { signedCaller } from "../testing/_sign.ts";

/** The account every venue test uses. */
export const KEY = "venueKey";
/** Its HMAC secret. */
export const SECRET = "venueSecret";
/** Emulator accounts for {@link KEY} (cross margin funded, so margin orders go through). */
export const ACCOUNTS = [{ apiKey: KEY, secretKey: SECRET, marginBalances: { USDT: "5000" } }];

/** How a venue is reached and made to emit. */
export interface VenueSetup {
  /** Manager options pointing the venue at the emulator. */
  readonly options: Partial<BinanceWebSocketManagerOptions>;
  /** `createUserDataStream` options beyond the keys. */
  readonly stream: { readonly isolatedSymbol?: string };
  /** Makes the emulator emit one event of the account on this venue. */
  readonly trigger: () => Promise<void>;
  /** The event type `trigger` produces (as the frame's `e`, or the envelope's `event.e`). */
  readonly event: string;
}

/** The event type of a user-data frame (spot WS-API frames carry it in `event`). */
export function eventType(frame: string): string {
  const o = JSON.parse(frame);
  return o.event?.e ?? o.e ?? "";
}

/** The emulator wiring of a venue (the margin testnets have no user data: `undefined`). */
export function venueSetup(name: ExchangeName, emu: Emulator): VenueSetup | undefined {
  const ex = getExchange(name);
  const call = signedCaller(emu.restUrl, KEY, SECRET);
  const base = {
    exchange: name,
    restUrl: emu.restUrl,
    wsApiUrl: emu.wsApiUrl,
    futuresWsApiUrl: emu.futuresWsApiUrl,
  };
  const ok = async (p: Promise<{ status: number; body: unknown }>): Promise<void> => {
    const r = await p;
    if (r.status !== 200) throw new Error(`emulator refused the trigger: ${JSON.stringify(r.body)}`);
  };
  const spotDeposit = () => Promise.resolve(emu.transfer(KEY, { asset: "USDT", delta: "1" }));
  const usdmOrder = () =>
    ok(call("POST", "/fapi/v1/order", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      price: "30000",
      quantity: "0.004",
    }));
  switch (ex.userData) {
    case "none":
      return undefined;
    case "ws-api":
      return { options: base, stream: {}, trigger: spotDeposit, event: "balanceUpdate" };
    case "listen-token": {
      const iso = ex.market === "isolated_margin";
      const marginOrder = async (): Promise<void> => {
        if (iso) {
          await ok(call("POST", "/sapi/v1/asset/transfer", {
            type: "MARGIN_ISOLATEDMARGIN",
            asset: "USDT",
            amount: "100",
            toSymbol: "BTCUSDT",
          }));
        }
        await ok(call("POST", "/sapi/v1/margin/order", {
          symbol: "BTCUSDT",
          side: "BUY",
          type: "LIMIT",
          timeInForce: "GTC",
          price: "30000",
          quantity: "0.001",
          ...(iso ? { isIsolated: "TRUE" } : {}),
        }));
      };
      return {
        options: base,
        stream: iso ? { isolatedSymbol: "BTCUSDT" } : {},
        trigger: marginOrder,
        event: "executionReport",
      };
    }
    case "listen-key":
      break;
  }
  switch (ex.market) {
    case "usdm":
      return {
        options: { ...base, streamBase: emu.futuresWsUrl },
        stream: {},
        trigger: usdmOrder,
        event: "ORDER_TRADE_UPDATE",
      };
    case "coinm":
      return {
        options: { ...base, streamBase: emu.coinmWsUrl },
        stream: {},
        trigger: () =>
          ok(
            call("POST", "/dapi/v1/order", {
              symbol: "BTCUSD_PERP",
              side: "BUY",
              type: "MARKET",
              quantity: "1",
            }),
          ),
        event: "ORDER_TRADE_UPDATE",
      };
    case "options":
      return {
        options: { ...base, streamBase: emu.futuresWsUrl },
        stream: {},
        trigger: () => Promise.resolve(emu.transfer(KEY, { asset: "USDT", delta: "5", market: "options" })),
        event: "BALANCE_POSITION_UPDATE",
      };
    case "portfolio_margin":
      // the catalog's stream base is `…/pm`: the emulator serves it under the futures host
      return {
        options: { ...base, streamBase: `${emu.futuresWsUrl}/pm` },
        stream: {},
        trigger: usdmOrder,
        event: "ORDER_TRADE_UPDATE",
      };
    default:
      // Binance.US and TR: the spot listenKey on the spot stream host
      return {
        options: { ...base, streamBase: emu.wsUrl },
        stream: {},
        trigger: spotDeposit,
        event: "balanceUpdate",
      };
  }
}
