/**
 * Route builders for authenticated REST endpoints: `signed` (signature and timing verified
 * exactly like every signed Binance route; successful order calls cost 0 weight, failures are
 * charged and carry no order count, since 2026-04-02) and `keyOnly` (USER_STREAM: API key only).
 *
 * @module
 */
import type { Context } from "hono";
import { ApiError } from "./api_error.ts";
import { authenticateRest, rejectedKey } from "./auth.ts";
import type { Core, RestVenue, Trading } from "./core.ts";
import type { Json } from "./payloads.ts";
import { type RestRequest, type RestResult, runRest } from "./rest_kit.ts";
import { orderRateLimits } from "./spot_queries.ts";

/** A route handler: the authenticated API key and the request. */
export type Handler = (apiKey: string, req: RestRequest) => Json | Promise<Json>;

/** The route builders bound to one emulator. */
export interface SignedKit {
  /**
   * A signed route. `failWeight` > 0 marks an order-placing route: weight 0 on success, `failWeight`
   * charged on failure, and order-count headers on successful POSTs.
   */
  signed(
    venue: RestVenue,
    weight: number | ((p: URLSearchParams) => number),
    h: Handler,
    failWeight?: number,
  ): (c: Context) => Promise<Response>;
  /** A USER_STREAM route (API key header only, weight 1). */
  keyOnly(venue: RestVenue, h: Handler): (c: Context) => Promise<Response>;
}

function orderCountHeaders(
  t: Trading,
  venue: RestVenue,
  apiKey: string,
  now: number,
): Record<string, string> {
  if (venue === "usdm" || venue === "coinm") {
    // futures report the orders of the current minute
    const since = Math.floor(now / 60_000) * 60_000;
    const engine = venue === "usdm" ? t.futures : t.coinm;
    return { "X-MBX-ORDER-COUNT-1M": String(engine.orderCount(apiKey, since)) };
  }
  // spot and margin orders count against the account's spot order limits
  const [sec, day] = orderRateLimits(t.spot, apiKey, now) as Array<{ count: number }>;
  return { "X-MBX-ORDER-COUNT-10S": String(sec.count), "X-MBX-ORDER-COUNT-1D": String(day.count) };
}

/** Creates the route builders. */
export function signedKit(core: Core, t: Trading): SignedKit {
  return {
    signed: (venue, weight, h, failWeight = 0) => (c: Context) =>
      runRest(core, c, venue, weight, async (req): Promise<RestResult> => {
        const entry = await authenticateRest(t.keys, req, req.now);
        // a key restricted to trusted IPs: the emulator sees every client as 127.0.0.1
        const ip = t.ipRestrictions.get(entry.apiKey);
        if (ip?.restricted && !ip.ips.includes("127.0.0.1")) throw rejectedKey();
        try {
          const body = await h(entry.apiKey, req);
          if (failWeight === 0 || req.method !== "POST") return { body };
          return { body, headers: orderCountHeaders(t, venue, entry.apiKey, req.now) };
        } catch (e) {
          // failed order calls are charged even though successful ones are free
          if (failWeight > 0) core.weights[venue].add(failWeight, core.realNow());
          throw e;
        }
      }),
    keyOnly: (venue, h) => (c: Context) =>
      runRest(core, c, venue, 1, async (req) => {
        if (req.apiKey === null || req.apiKey === "") {
          throw new ApiError(-2014, "API-key format invalid.", 401);
        }
        if (!t.keys.has(req.apiKey)) throw rejectedKey();
        return { body: await h(req.apiKey, req) };
      }),
  };
}
