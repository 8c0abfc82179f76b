/**
 * Options trading REST routes (`/eapi/v1`, signed, on the options weight pool): order place /
 * cancel / query, open orders, cancel all, positions and the margin account (USDT wallet, locked
 * margin, unrealised PnL at the mark, Greeks per underlying).
 *
 * @module
 */
import { Decimal } from "decimal.js";
import type { Hono } from "hono";
import { intParam } from "./api_error.ts";
import type { Core, Trading } from "./core.ts";
import { markPrice } from "./futures_account.ts";
import { greeks, impliedVol, type OptionChain, yearsTo } from "./options_chain.ts";
import { type OptionsAccount, OptionsEngine } from "./options_engine.ts";
import type { AccountOptions } from "./options.ts";
import type { Json } from "./payloads.ts";
import { signedKit } from "./signed_kit.ts";

/** Registers the options trading routes; returns the engine. */
export function registerOptionsTradingRoutes(
  app: Hono,
  core: Core,
  t: Trading,
  chain: OptionChain,
  accounts: readonly AccountOptions[],
): OptionsEngine {
  const { signed } = signedKit(core, t);
  const wallets = new Map<string, OptionsAccount>();
  for (const a of accounts) {
    wallets.set(a.apiKey, {
      balance: new Decimal(a.optionsBalances?.USDT ?? "10000"),
      positions: new Map(),
    });
  }
  const e = new OptionsEngine(
    core.hub,
    chain.terms,
    wallets,
    () => core.now("eapi"),
    (k, ev) => t.userData.futures(k, ev, "options"),
  );
  core.hub.onStep((m) => e.afterStep(m));

  const positions = (k: string, symbol: string | null, now: number): Record<string, Json>[] =>
    [...e.account(k).positions].filter(([s]) => symbol === null || s === symbol).map(([s, p]) => {
      const { m, terms } = e.market(s);
      const mark = markPrice(m);
      const value = mark.times(p.qty);
      const cost = p.qty.isNeg() ? p.cost.neg() : p.cost;
      const upnl = value.minus(cost);
      return {
        entryPrice: p.cost.div(p.qty.abs()).toFixed(m.spec.priceDecimals),
        symbol: s,
        side: p.qty.isNeg() ? "SHORT" : "LONG",
        quantity: p.qty.toFixed(m.spec.qtyDecimals),
        reducibleQty: p.qty.abs().toFixed(m.spec.qtyDecimals),
        markValue: value.toFixed(8),
        ror: p.cost.isZero() ? "0" : upnl.div(p.cost).toFixed(4),
        unrealizedPNL: upnl.toFixed(8),
        markPrice: mark.toFixed(m.spec.priceDecimals),
        strikePrice: terms.strike.toFixed(8),
        positionCost: cost.toFixed(8),
        expiryDate: terms.expiry,
        priceScale: m.spec.priceDecimals,
        quantityScale: m.spec.qtyDecimals,
        optionSide: terms.side,
        quoteAsset: "USDT",
        time: now,
      };
    });

  app.post("/eapi/v1/order", signed("eapi", 1, (k, r) => e.place(k, r.params)));
  app.delete("/eapi/v1/order", signed("eapi", 1, (k, r) => e.cancel(k, r.params)));
  app.get("/eapi/v1/order", signed("eapi", 1, (k, r) => e.orderJson(e.find(k, r.params))));
  app.get(
    "/eapi/v1/openOrders",
    signed("eapi", (p) => (p.get("symbol") ? 1 : 40), (k, r) => {
      const s = r.params.get("symbol");
      const symbol = s === null ? undefined : e.market(s).terms.symbol;
      const start = intParam(r.params, "startTime") ?? 0;
      const end = intParam(r.params, "endTime") ?? Infinity;
      return e.open(k, symbol).filter((o) => o.createTime >= start && o.createTime <= end).map((o) =>
        e.orderJson(o)
      );
    }),
  );
  app.delete(
    "/eapi/v1/allOpenOrders",
    signed("eapi", 1, (k, r) => {
      const symbol = e.market(r.params.get("symbol")).terms.symbol;
      for (const o of e.open(k, symbol)) {
        e.cancel(k, new URLSearchParams({ symbol, orderId: String(o.orderId) }));
      }
      return { code: 0, msg: "success" };
    }),
  );
  app.get("/eapi/v1/position", signed("eapi", 5, (k, r) => positions(k, r.params.get("symbol"), r.now)));
  app.get(
    "/eapi/v1/marginAccount",
    signed("eapi", 3, (k, r) => {
      const acc = e.account(k);
      // the figures ACCOUNT_UPDATE reports
      const f = e.figures(k);
      const equity = f.balance.plus(f.positionValue);
      const byUnderlying = new Map<string, { delta: number; gamma: number; theta: number; vega: number }>();
      for (const [s, p] of acc.positions) {
        const { m, terms } = e.market(s);
        const spot = e.index(terms).toNumber();
        const tYears = yearsTo(terms.expiry, r.now);
        const vol = impliedVol(terms.side, spot, terms.strike, tYears, markPrice(m).toNumber());
        const g = greeks(terms.side, spot, terms.strike, tYears, vol);
        const n = p.qty.toNumber();
        const sum = byUnderlying.get(terms.underlying) ?? { delta: 0, gamma: 0, theta: 0, vega: 0 };
        byUnderlying.set(terms.underlying, {
          delta: sum.delta + g.delta * n,
          gamma: sum.gamma + g.gamma * n,
          theta: sum.theta + g.theta * n,
          vega: sum.vega + g.vega * n,
        });
      }
      return {
        asset: [{
          asset: "USDT",
          marginBalance: equity.toFixed(8),
          equity: equity.toFixed(8),
          available: e.available(k).toFixed(8),
          initialMargin: f.initialMargin.toFixed(8),
          maintMargin: f.maintenanceMargin.toFixed(8),
          unrealizedPNL: f.unrealized.toFixed(8),
          lpProfit: "0.00000000",
        }],
        greek: [...byUnderlying].map(([underlying, g]) => ({
          underlying,
          delta: g.delta.toFixed(6),
          gamma: g.gamma.toFixed(6),
          theta: g.theta.toFixed(6),
          vega: g.vega.toFixed(6),
        })),
        time: r.now,
        canTrade: true,
        canDeposit: true,
        canWithdraw: true,
        reduceOnly: false,
      };
    }),
  );
  return e;
}
