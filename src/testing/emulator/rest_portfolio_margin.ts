/**
 * Portfolio margin REST routes (`/papi/v1`, its own 6000-per-minute weight pool): ping, the
 * unified account and balances, UM and CM orders (place, cancel, query, open orders) and cross
 * margin loans (`marginLoan`, `repayLoan`).
 *
 * The emulator's portfolio-margin account of a key is that key's USD-M, COIN-M and cross-margin
 * accounts viewed together: UM orders go to the USD-M engine, CM orders to the COIN-M engine,
 * loans to the cross-margin book, so `/fapi`, `/dapi` and `/sapi/v1/margin` see the same state
 * (on Binance a portfolio-margin account trades through `/papi` only). Maintenance margin is
 * taken as half the initial margin; `uniMMR` is equity over maintenance ("0" without positions).
 *
 * @module
 */
import { Decimal } from "decimal.js";
import type { Hono } from "hono";
import { ApiError, badSymbol, missingParam } from "./api_error.ts";
import type { Core, Trading } from "./core.ts";
import type { FuturesEngine } from "./futures_engine.ts";
import type { Json } from "./payloads.ts";
import { runRest } from "./rest_kit.ts";
import { signedKit } from "./signed_kit.ts";

const AMOUNT = /^\d{1,20}(\.\d{1,8})?$/;

function amountOf(p: URLSearchParams): Decimal {
  const raw = p.get("amount");
  if (!raw) throw missingParam("amount");
  if (!AMOUNT.test(raw) || new Decimal(raw).lte(0)) {
    throw new ApiError(-1130, "Data sent for parameter 'amount' is not valid.");
  }
  return new Decimal(raw);
}

/** Registers the portfolio-margin routes. */
export function registerPortfolioMarginRoutes(app: Hono, core: Core, t: Trading): void {
  const { signed } = signedKit(core, t);
  const m = t.margin;
  const usd = (asset: string): Decimal => m.price(asset, "USDT") ?? new Decimal(0);
  const wallets = (e: FuturesEngine, k: string) => {
    const acc = e.account(k);
    return new Map([...acc.wallet].map(([asset, wb]) => [asset, { wb, ...e.usage(acc, asset) }]));
  };

  const balances = (k: string, now: number): Record<string, Json>[] => {
    const cross = m.account(k);
    const um = wallets(t.futures, k);
    const cm = wallets(t.coinm, k);
    const assets = new Set([
      ...cross.balances.keys(),
      ...(m.borrowed.get(k)?.keys() ?? []),
      ...um.keys(),
      ...cm.keys(),
    ]);
    return [...assets].sort().map((asset) => {
      const b = cross.get(asset);
      const borrowed = m.debt(k, asset);
      const u = um.get(asset);
      const c = cm.get(asset);
      const zero = new Decimal(0);
      const total = b.free.plus(b.locked).minus(borrowed).plus(u?.wb ?? zero).plus(c?.wb ?? zero);
      return {
        asset,
        totalWalletBalance: total.toFixed(8),
        crossMarginAsset: b.free.plus(b.locked).toFixed(8),
        crossMarginBorrowed: borrowed.toFixed(8),
        crossMarginFree: b.free.toFixed(8),
        crossMarginInterest: "0.00000000",
        crossMarginLocked: b.locked.toFixed(8),
        umWalletBalance: (u?.wb ?? zero).toFixed(8),
        umUnrealizedPNL: (u?.upnl ?? zero).toFixed(8),
        cmWalletBalance: (c?.wb ?? zero).toFixed(8),
        cmUnrealizedPNL: (c?.upnl ?? zero).toFixed(8),
        updateTime: now,
        negativeBalance: Decimal.max(0, total.neg()).toFixed(8),
      };
    });
  };

  app.get("/papi/v1/ping", (c) => runRest(core, c, "papi", 1, () => ({ body: {} })));
  app.get(
    "/papi/v1/balance",
    signed("papi", 20, (k, r) => {
      const all = balances(k, r.now);
      const asset = r.params.get("asset");
      if (asset === null) return all;
      return all.find((b) => b.asset === asset) ?? {};
    }),
  );
  app.get(
    "/papi/v1/account",
    signed("papi", 20, (k, r) => {
      let equity = new Decimal(0);
      let initial = new Decimal(0);
      let openLoss = new Decimal(0);
      for (const b of balances(k, r.now)) {
        const px = usd(b.asset as string);
        const eq = new Decimal(b.totalWalletBalance as string).plus(b.umUnrealizedPNL as string)
          .plus(b.cmUnrealizedPNL as string);
        equity = equity.plus(eq.times(px));
        openLoss = openLoss.plus(
          Decimal.min(0, new Decimal(b.umUnrealizedPNL as string)).plus(
            Decimal.min(0, new Decimal(b.cmUnrealizedPNL as string)),
          ).neg().times(px),
        );
      }
      for (const e of [t.futures, t.coinm]) {
        for (const [asset, w] of wallets(e, k)) initial = initial.plus(w.used.times(usd(asset)));
      }
      const maint = initial.div(2);
      return {
        uniMMR: maint.isZero() ? "0" : equity.div(maint).toFixed(8, Decimal.ROUND_DOWN),
        accountEquity: equity.toFixed(8),
        actualEquity: equity.toFixed(8),
        accountInitialMargin: initial.toFixed(8),
        accountMaintMargin: maint.toFixed(8),
        accountStatus: "NORMAL",
        virtualMaxWithdrawAmount: Decimal.max(0, equity.minus(initial)).toFixed(8),
        totalAvailableBalance: Decimal.max(0, equity.minus(initial)).toFixed(8),
        totalMarginOpenLoss: openLoss.toFixed(8),
        updateTime: r.now,
      };
    }),
  );

  for (const [kind, e] of [["um", t.futures], ["cm", t.coinm]] as const) {
    const base = `/papi/v1/${kind}`;
    const symbolParam = (p: URLSearchParams): string | undefined => {
      const s = p.get("symbol");
      if (s === null) return undefined;
      if (!e.market(s)) throw badSymbol();
      return s;
    };
    app.post(`${base}/order`, signed("papi", 1, (k, r) => e.place(k, r.params)));
    app.delete(`${base}/order`, signed("papi", 1, (k, r) => e.cancel(k, r.params)));
    app.get(`${base}/order`, signed("papi", 1, (k, r) => e.orderJson(e.find(k, r.params))));
    app.get(
      `${base}/openOrders`,
      signed(
        "papi",
        (p) => (p.get("symbol") ? 1 : 40),
        (k, r) => e.open(k, symbolParam(r.params)).map((o) => e.orderJson(o)),
      ),
    );
  }

  app.post(
    "/papi/v1/marginLoan",
    signed("papi", 100, (k, r) => {
      const asset = r.params.get("asset");
      if (!asset) throw missingParam("asset");
      return { tranId: m.borrow(k, asset, amountOf(r.params)) };
    }),
  );
  app.post(
    "/papi/v1/repayLoan",
    signed("papi", 100, (k, r) => {
      const asset = r.params.get("asset");
      if (!asset) throw missingParam("asset");
      return { tranId: m.repay(k, asset, amountOf(r.params)) };
    }),
  );
}
