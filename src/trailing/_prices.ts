/**
 * The reference price: which stream carries it, how to read it from a frame, and the first value
 * over REST (so the first stop goes out without waiting for a trade).
 *
 * @module
 */
import type { BinanceRestClient } from "../rest/client.ts";
import type { VenueKind } from "./_venue.ts";
import { priceFromEvent, priceSource, type PriceSourceSpec } from "./engine.ts";

/** Price source option. */
export type PriceSource = "aggTrade" | "bookTicker" | "markPrice";

const ENGINE_SOURCE = { aggTrade: "last", bookTicker: "book", markPrice: "mark" } as const;

/**
 * The engine's price-source spec (stream channel and field) of an option value.
 *
 * @throws {RangeError} `markPrice` outside futures.
 */
export function priceSpec(kind: VenueKind, source: PriceSource, side: "BUY" | "SELL"): PriceSourceSpec {
  return priceSource(kind, side, ENGINE_SOURCE[source]);
}

/** The reference price in a parsed frame (combined `{ stream, data }` or bare). */
export function priceOf(spec: PriceSourceSpec, frame: unknown): string | undefined {
  const f = frame as Record<string, unknown> | null;
  if (!f || typeof f !== "object") return undefined;
  const d = (typeof f.stream === "string" && f.data && typeof f.data === "object" ? f.data : f) as Record<
    string,
    unknown
  >;
  return priceFromEvent(spec, d)?.price;
}

const one = <T>(v: T | readonly T[]): T => (Array.isArray(v) ? v[0] : v) as T;

/** The current reference price over REST. */
export async function firstPrice(
  rest: BinanceRestClient,
  kind: VenueKind,
  symbol: string,
  source: PriceSource,
  side: "BUY" | "SELL",
): Promise<string> {
  const futures = kind === "usdm" || kind === "coinm";
  if (source === "markPrice") {
    const m = one(
      kind === "coinm"
        ? await rest.futuresCoinMarkPrice({ symbol })
        : await rest.futuresMarkPrice({ symbol }),
    );
    return m.markPrice;
  }
  if (source === "bookTicker") {
    const b = one(
      !futures
        ? await rest.getOrderbookTicker({ symbol })
        : kind === "coinm"
        ? await rest.futuresCoinOrderbookTicker({ symbol })
        : await rest.futuresOrderbookTicker({ symbol }),
    );
    return side === "SELL" ? b.bidPrice : b.askPrice;
  }
  const t = one(
    !futures
      ? await rest.getSymbolTicker({ symbol })
      : kind === "coinm"
      ? await rest.futuresCoinSymbolTicker({ symbol })
      : await rest.futuresSymbolTicker({ symbol }),
  );
  return t.price;
}
