/**
 * Convert REST routes (`/sapi/v1/convert/*`) with Binance's weights: exchangeInfo 3000 (IP,
 * public), assetInfo 100 (IP), getQuote 200, acceptQuote 500, orderStatus 100 and tradeFlow 3000
 * (UID).
 *
 * @module
 */
import type { Hono } from "hono";
import { Convert } from "./convert.ts";
import type { Core, Trading } from "./core.ts";
import { runRest } from "./rest_kit.ts";
import { signedKit } from "./signed_kit.ts";

/** Registers the convert routes; returns the desk. */
export function registerConvertRoutes(app: Hono, core: Core, t: Trading): Convert {
  const { signed } = signedKit(core, t);
  const desk = new Convert(core.hub, t, () => core.now("sapi"));
  const base = "/sapi/v1/convert";
  app.get(
    `${base}/exchangeInfo`,
    (c) => runRest(core, c, "sapi", 3000, (r) => ({ body: desk.exchangeInfo(r.params) })),
  );
  app.get(`${base}/assetInfo`, signed("sapi", 100, () => desk.assetInfo()));
  app.post(`${base}/getQuote`, signed("sapiUid", 200, (k, r) => desk.quote(k, r.params)));
  app.post(`${base}/acceptQuote`, signed("sapiUid", 500, (k, r) => desk.accept(k, r.params)));
  app.get(`${base}/orderStatus`, signed("sapiUid", 100, (k, r) => desk.status(k, r.params)));
  app.get(`${base}/tradeFlow`, signed("sapiUid", 3000, (k, r) => desk.tradeFlow(k, r.params)));
  return desk;
}
