/**
 * Simple Earn REST routes (`/sapi/v1/simple-earn/*`), signed, with Binance's IP weights (lists,
 * positions and the account 150, subscribe and redeem 1).
 *
 * @module
 */
import { Decimal } from "decimal.js";
import type { Hono } from "hono";
import type { Core, Trading } from "./core.ts";
import { markPrice } from "./futures_account.ts";
import { signedKit } from "./signed_kit.ts";
import { SimpleEarn } from "./simple_earn.ts";

/** Registers the Simple Earn routes; returns the ledger. */
export function registerSimpleEarnRoutes(app: Hono, core: Core, t: Trading): SimpleEarn {
  const { signed } = signedKit(core, t);
  const price = (asset: string): Decimal => {
    if (asset === "USDT") return new Decimal(1);
    const m = core.hub.market("spot", `${asset}USDT`);
    return m ? markPrice(m) : new Decimal(0);
  };
  const earn = new SimpleEarn(t, () => core.now("sapi"), price);
  // locked positions mature as the simulated clock passes their delivery date
  core.hub.onStep(() => earn.settle());
  const base = "/sapi/v1/simple-earn";
  app.get(`${base}/flexible/list`, signed("sapi", 150, (_k, r) => earn.flexibleList(r.params)));
  app.get(`${base}/locked/list`, signed("sapi", 150, (_k, r) => earn.lockedList(r.params)));
  app.post(`${base}/flexible/subscribe`, signed("sapi", 1, (k, r) => earn.subscribeFlexible(k, r.params)));
  app.post(`${base}/locked/subscribe`, signed("sapi", 1, (k, r) => earn.subscribeLocked(k, r.params)));
  app.post(`${base}/flexible/redeem`, signed("sapi", 1, (k, r) => earn.redeemFlexible(k, r.params)));
  app.post(`${base}/locked/redeem`, signed("sapi", 1, (k, r) => earn.redeemLocked(k, r.params)));
  app.get(`${base}/flexible/position`, signed("sapi", 150, (k, r) => earn.flexiblePosition(k, r.params)));
  app.get(
    `${base}/locked/position`,
    signed("sapi", 150, (k, r) => {
      earn.settle();
      return earn.lockedPosition(k, r.params);
    }),
  );
  app.get(
    `${base}/account`,
    signed("sapi", 150, (k) => {
      earn.settle();
      return earn.account(k);
    }),
  );
  return earn;
}
