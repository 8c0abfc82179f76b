/**
 * The state of one account as `emu.account(apiKey)` reports it: spot, USD-M, COIN-M and margin
 * balances, positions and open orders.
 *
 * @module
 */
import type { Trading } from "./core.ts";

/** Snapshot of an account's state. */
export interface AccountView {
  /** The account's API key. */
  readonly apiKey: string;
  /** Spot balances by asset. */
  readonly balances: Readonly<Record<string, { readonly free: string; readonly locked: string }>>;
  /** Open spot orders (`GET /api/v3/order` shape). */
  readonly openOrders: readonly unknown[];
  /** USD-M wallet balances by asset. */
  readonly futuresBalances: Readonly<Record<string, string>>;
  /** USD-M positions by symbol: amount and entry price. */
  readonly positions: Readonly<Record<string, { readonly amount: string; readonly entryPrice: string }>>;
  /** Open USD-M orders. */
  readonly futuresOpenOrders: readonly unknown[];
  /** Open (untriggered) USD-M algo orders (`GET /fapi/v1/algoOrder` shape). */
  readonly futuresOpenAlgoOrders: readonly unknown[];
  /** Open COIN-M orders, conditional ones included. */
  readonly coinmOpenOrders: readonly unknown[];
  /** Margin balances: `cross` and one entry per isolated symbol, by asset. */
  readonly margin: Readonly<
    Record<
      string,
      Readonly<Record<string, { readonly free: string; readonly locked: string; readonly borrowed: string }>>
    >
  >;
  /** COIN-M wallet balances by margin asset. */
  readonly coinmBalances: Readonly<Record<string, string>>;
  /** COIN-M positions (contracts) by symbol (`SYMBOL:LONG|SHORT` in hedge mode). */
  readonly coinmPositions: Readonly<Record<string, { readonly amount: string; readonly entryPrice: string }>>;
}

/**
 * The state of an account.
 *
 * @throws {RangeError} for an API key that is not configured
 */
export function accountView(t: Trading, apiKey: string): AccountView {
  if (!t.keys.has(apiKey)) throw new RangeError("Unknown account: the API key is not configured");
  const spotAcc = t.spotAccount(apiKey);
  const fut = t.futures.account(apiKey);
  const coin = t.coinm.account(apiKey);
  const margin = t.margin;
  const positions = (acc: typeof fut) =>
    Object.fromEntries(
      [...acc.positions].map(([s, p]) => [s, { amount: p.amt.toString(), entryPrice: p.entry.toString() }]),
    );
  return {
    apiKey,
    balances: Object.fromEntries(
      [...spotAcc.balances].map(([a, b]) => [a, { free: b.free.toFixed(8), locked: b.locked.toFixed(8) }]),
    ),
    openOrders: t.spot.open(apiKey).map((o) => t.spot.orderJson(o)),
    futuresBalances: Object.fromEntries([...fut.wallet].map(([a, v]) => [a, v.toFixed(8)])),
    positions: positions(fut),
    futuresOpenOrders: t.futures.open(apiKey).map((o) => t.futures.orderJson(o)),
    futuresOpenAlgoOrders: t.futures.algo?.open(apiKey).map((a) => t.futures.algo!.json(a)) ?? [],
    coinmOpenOrders: t.coinm.open(apiKey).map((o) => t.coinm.orderJson(o)),
    coinmBalances: Object.fromEntries([...coin.wallet].map(([a, v]) => [a, v.toFixed(8)])),
    margin: Object.fromEntries(
      [...margin.accounts].filter(([k]) => k === apiKey || k.startsWith(`${apiKey}|`)).map(([k, acc]) => [
        k === apiKey ? "cross" : k.slice(apiKey.length + 1),
        Object.fromEntries(
          [...new Set([...acc.balances.keys(), ...(margin.borrowed.get(k)?.keys() ?? [])])].map((a) => [a, {
            free: acc.get(a).free.toFixed(8),
            locked: acc.get(a).locked.toFixed(8),
            borrowed: margin.debt(k, a).toFixed(8),
          }]),
        ),
      ]),
    ),
    coinmPositions: positions(coin),
  };
}
