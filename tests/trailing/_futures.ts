/**
 * Helpers of the futures manager tests: the two venues, opening a position, the account's trades,
 * open orders and position over REST.
 */
import { assert } from "@std/assert";
import { Decimal } from "decimal.js";
import type { BinanceRestClient } from "../../src/rest/client.ts";
import type { TrailingEvent } from "../../src/trailing/events.ts";

export type Finished = Extract<TrailingEvent, { type: "finished" }>;
export type Moved = Extract<TrailingEvent, { type: "stopMoved" }>;

/** The stop moves among the events. */
export function moves(events: TrailingEvent[]): Moved[] {
  return events.filter((e): e is Moved => e.type === "stopMoved");
}

/** USDⓈ-M and COIN-M with the symbol and position size of the tests. */
export const VENUES: readonly {
  exchange: string;
  market: "usdm" | "coinm";
  symbol: string;
  qty: string;
  decimals: number;
}[] = [
  { exchange: "binance.com-futures", market: "usdm" as const, symbol: "BTCUSDT", qty: "0.010", decimals: 1 },
  {
    exchange: "binance.com-coin_futures",
    market: "coinm" as const,
    symbol: "BTCUSD_PERP",
    qty: "10",
    decimals: 1,
  },
];

/** Opens a position with a MARKET order. */
export async function open(
  rest: BinanceRestClient,
  coin: boolean,
  symbol: string,
  side: "BUY" | "SELL",
  qty: string,
): Promise<unknown> {
  const o = { symbol, side, type: "MARKET", quantity: qty };
  return coin ? await rest.futuresCoinCreateOrder(o) : await rest.futuresCreateOrder(o);
}

/** The account's trades of `side`: quantity, average and quantity per order. */
export async function sells(
  rest: BinanceRestClient,
  coin: boolean,
  symbol: string,
  side: "BUY" | "SELL",
): Promise<{ qty: Decimal; avg: Decimal; byOrder: Map<string, Decimal> }> {
  const trades = coin
    ? await rest.futuresCoinAccountTrades({ symbol })
    : await rest.futuresAccountTrades({ symbol });
  let qty = new Decimal(0);
  let notional = new Decimal(0);
  const byOrder = new Map<string, Decimal>();
  for (const t of trades as unknown as { side: string; qty: string; price: string; orderId: number }[]) {
    if (t.side !== side) continue;
    qty = qty.plus(t.qty);
    notional = notional.plus(new Decimal(t.qty).times(t.price));
    byOrder.set(String(t.orderId), (byOrder.get(String(t.orderId)) ?? new Decimal(0)).plus(t.qty));
  }
  return { qty, avg: qty.gt(0) ? notional.div(qty) : new Decimal(0), byOrder };
}

/** `ap` is rounded to the tick: the engine's average is the trades' within one tick. */
export function assertAverage(average: string | undefined, trades: Decimal): void {
  assert(
    average !== undefined && new Decimal(average).minus(trades).abs().lte("0.1"),
    `${average} vs ${trades}`,
  );
}

/** The account's open orders of the symbol (USDⓈ-M: plain and algo orders). */
export async function openOrders(rest: BinanceRestClient, coin: boolean, symbol: string): Promise<number> {
  if (coin) return (await rest.futuresCoinGetOpenOrders({ symbol })).length;
  const [plain, algo] = await Promise.all([
    rest.futuresGetOpenOrders({ symbol }),
    rest.futuresGetOpenAlgoOrders({ symbol }),
  ]);
  return plain.length + algo.length;
}

/** The position amount of the symbol. */
export async function position(rest: BinanceRestClient, coin: boolean, symbol: string): Promise<string> {
  const rows = coin
    ? await rest.futuresCoinPositionInformation()
    : await rest.futuresPositionInformation({ symbol });
  return rows.filter((r) => r.symbol === symbol).reduce((s, r) => s.plus(r.positionAmt), new Decimal(0))
    .toFixed();
}
