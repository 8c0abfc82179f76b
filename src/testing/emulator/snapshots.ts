/**
 * Daily account snapshots (`GET /sapi/v1/accountSnapshot`): spot balances with their BTC value,
 * the cross-margin account and the USD-M assets and open positions, as they stand now.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import type { Trading } from "./core.ts";
import { accountJson } from "./futures_views.ts";
import type { Json } from "./payloads.ts";
import type { Snapshot } from "./wallet.ts";

/** The snapshot of an account, stamped `updateTime`. */
export function snapshotOf(t: Trading, apiKey: string, updateTime: number): Snapshot {
  const spotAcc = t.spotAccount(apiKey);
  let total = new Decimal(0);
  const balances = [...spotAcc.balances].map(([asset, b]) => {
    total = total.plus(b.free.plus(b.locked).times(t.margin.price(asset, "BTC") ?? 0));
    return { asset, free: b.free.toFixed(8), locked: b.locked.toFixed(8) };
  });
  const cross = t.margin.crossJson(apiKey) as Record<string, Json>;
  const fut = accountJson(t.futures, apiKey, updateTime) as Record<string, Json>;
  return {
    updateTime,
    spot: { balances, totalAssetOfBtc: total.toFixed(8) },
    margin: {
      marginLevel: cross.marginLevel,
      totalAssetOfBtc: cross.totalAssetOfBtc,
      totalLiabilityOfBtc: cross.totalLiabilityOfBtc,
      totalNetAssetOfBtc: cross.totalNetAssetOfBtc,
      userAssets: cross.userAssets,
    },
    futures: {
      assets: (fut.assets as Array<Record<string, Json>>).map((a) => ({
        asset: a.asset,
        marginBalance: a.marginBalance,
        walletBalance: a.walletBalance,
      })),
      position: (fut.positions as Array<Record<string, Json>>).filter((p) => Number(p.positionAmt) !== 0)
        .map((p) => ({
          entryPrice: p.entryPrice,
          positionAmt: p.positionAmt,
          symbol: p.symbol,
          unRealizedProfit: p.unrealizedProfit,
        })),
    },
  };
}
