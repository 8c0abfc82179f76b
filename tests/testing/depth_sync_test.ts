import { after, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { type Client, connect, getJson } from "./_ws.ts";

interface Diff {
  U: number;
  u: number;
  pu?: number;
  b: string[][];
  a: string[][];
}

function apply(book: Map<string, string>, levels: string[][]): void {
  for (const [p, q] of levels) {
    if (Number(q) === 0) book.delete(p);
    else book.set(p, q);
  }
}

function sorted(book: Map<string, string>, desc: boolean): string[][] {
  return [...book].sort((x, y) => desc ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0]));
}

describe("depth snapshot + diff stream sync (plain fetch + WebSocket)", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      seed: 7,
      paused: true,
      markets: [
        { symbol: "BTCUSDT", price: "65000.00", tickSize: "0.01", stepSize: "0.00001", levels: 3000 },
        {
          symbol: "BTCUSDT",
          market: "usdm",
          price: "65000.0",
          tickSize: "0.1",
          stepSize: "0.001",
          levels: 800,
        },
        {
          symbol: "BTCUSD_PERP",
          market: "coinm",
          price: "65000.0",
          tickSize: "0.1",
          stepSize: "1",
          levels: 500,
        },
      ],
    });
  });
  after(async () => {
    await emu.close();
  });

  it("spot: U/u are contiguous and the documented algorithm reproduces the true book", async () => {
    const c: Client = await connect(`${emu.wsUrl}/ws/btcusdt@depth@100ms`);
    try {
      emu.step(3);
      await c.waitFor(() => c.frames.length >= 1);
      const U0 = (JSON.parse(c.frames[0]) as Diff).U;
      const snap = (await getJson(`${emu.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5000`)).body;
      const L: number = snap.lastUpdateId;
      assert(L >= U0 - 1, "snapshot must not be older than the stream start");
      emu.step(20);
      const target = emu.book("BTCUSDT").lastUpdateId;
      await c.waitFor((f) => (JSON.parse(f) as Diff).u === target);
      const bids = new Map<string, string>(snap.bids);
      const asks = new Map<string, string>(snap.asks);
      let X = L;
      let applied = 0;
      let prevU = -1;
      for (const f of c.frames) {
        const d = JSON.parse(f) as Diff;
        if (prevU >= 0) assertEquals(d.U, prevU + 1, "spot diff ids must be contiguous");
        prevU = d.u;
        if (d.u <= L) continue; // spot: drop u <= lastUpdateId
        if (applied === 0) assert(d.U <= L + 1 && L + 1 <= d.u, "first event must satisfy U <= L+1 <= u");
        else assert(d.U === X + 1, `gap between ${X} and ${d.U}`);
        apply(bids, d.b);
        apply(asks, d.a);
        X = d.u;
        applied++;
      }
      assert(applied > 0);
      const truth = emu.book("BTCUSDT");
      assertEquals(X, truth.lastUpdateId);
      assertEquals(sorted(bids, true), truth.bids.map((l) => [...l]));
      assertEquals(sorted(asks, false), truth.asks.map((l) => [...l]));
    } finally {
      await c.close();
    }
  });

  /**
   * Subscribes a futures depth stream, takes a REST snapshot, steps 20 times and replays the
   * documented futures algorithm (drop u < L, first U <= L <= u, then pu == X) on the frames; the
   * result must be the emulator's true book. Returns the frames' data for venue-specific checks.
   */
  async function futuresReplay(
    venue: "usdm" | "coinm",
    symbol: string,
    wsUrl: string,
    depthUrl: string,
  ): Promise<{ snapshot: Record<string, unknown>; events: Diff[] }> {
    const stream = `${symbol.toLowerCase()}@depth@100ms`;
    const c = await connect(`${wsUrl}?streams=${stream}`);
    try {
      emu.step(3);
      await c.waitFor(() => c.frames.length >= 1);
      const snap = (await getJson(`${depthUrl}?symbol=${symbol}&limit=1000`)).body;
      const L: number = snap.lastUpdateId;
      emu.step(20);
      const target = emu.book(symbol, { market: venue }).lastUpdateId;
      await c.waitFor((f) => JSON.parse(f).data.u === target);
      const bids = new Map<string, string>(snap.bids);
      const asks = new Map<string, string>(snap.asks);
      let X = -1;
      let prev: Diff | undefined;
      const events: Diff[] = [];
      for (const f of c.frames) {
        const frame = JSON.parse(f);
        assertEquals(frame.stream, stream);
        const d = frame.data as Diff;
        events.push(d);
        if (prev) assertEquals(d.pu, prev.u, "pu must equal the previous event's u");
        prev = d;
        if (d.u < L) continue; // futures: drop u < lastUpdateId
        if (X < 0) assert(d.U <= L && L <= d.u, "first event must satisfy U <= L <= u");
        else assertEquals(d.pu, X);
        apply(bids, d.b);
        apply(asks, d.a);
        X = d.u;
      }
      const truth = emu.book(symbol, { market: venue });
      assertEquals(X, truth.lastUpdateId);
      assertEquals(sorted(bids, true), truth.bids.map((l) => [...l]));
      assertEquals(sorted(asks, false), truth.asks.map((l) => [...l]));
      return { snapshot: snap, events };
    } finally {
      await c.close();
    }
  }

  it("USD-M: pu chains non-contiguous ids and the futures algorithm reproduces the true book", async () => {
    const { snapshot, events } = await futuresReplay(
      "usdm",
      "BTCUSDT",
      `${emu.futuresWsUrl}/public/stream`,
      `${emu.futuresRestUrl}/fapi/v1/depth`,
    );
    assert(typeof snapshot.E === "number" && typeof snapshot.T === "number");
    const gaps = events.slice(1).filter((d, i) => d.U !== events[i].u + 1).length;
    assert(gaps > 0, "futures ids are a shared sequence: U != prev.u + 1 must occur");
  });

  it("COIN-M on dstream: ps on every event, pu chaining, the futures algorithm reproduces the true book", async () => {
    const { snapshot, events } = await futuresReplay(
      "coinm",
      "BTCUSD_PERP",
      `${emu.coinmWsUrl}/stream`,
      `${emu.futuresRestUrl}/dapi/v1/depth`,
    );
    assertEquals([snapshot.symbol, snapshot.pair], ["BTCUSD_PERP", "BTCUSD"]);
    for (const d of events as (Diff & { e: string; s: string; ps: string })[]) {
      assertEquals([d.e, d.s, d.ps], ["depthUpdate", "BTCUSD_PERP", "BTCUSD"]);
    }
  });

  it("COIN-M: unknown names are refused, spot-only names too; the futures fault target covers dstream", async () => {
    const bad = await connect(`${emu.coinmWsUrl}/ws/btcusd_perp@kline_1s`);
    assertEquals(await bad.closed, 1008);
    const breaks = await gapFault(`${emu.coinmWsUrl}/ws/btcusd_perp@depth@100ms`, "BTCUSD_PERP", "usdm");
    assertEquals(breaks((d, prev) => d.pu === prev.u), 1);
  });

  /**
   * Injects a depth gap on a running depth stream and steps on; returns a counter of the places
   * where consecutive events do not chain by the given rule.
   */
  async function gapFault(
    url: string,
    symbol: string,
    target: "spot" | "usdm",
  ): Promise<(chains: (d: Diff, prev: Diff) => boolean) => number> {
    const c = await connect(url);
    try {
      emu.step(2);
      await c.waitFor(() => c.frames.length >= 1);
      emu.inject({ name: "depthGap", symbol, target });
      const n = c.frames.length;
      emu.step(3);
      await c.waitFor(() => c.frames.length >= n + 2);
      const ds = c.frames.map((f) => JSON.parse(f) as Diff);
      return (chains) => ds.slice(1).filter((d, i) => !chains(d, ds[i])).length;
    } finally {
      await c.close();
    }
  }

  it("depth gap fault: the next diff is withheld so the client sees U > X + 1", async () => {
    const breaks = await gapFault(`${emu.wsUrl}/ws/btcusdt@depth@100ms`, "BTCUSDT", "spot");
    assertEquals(breaks((d, prev) => d.U === prev.u + 1), 1);
  });

  it("stale snapshot fault: the served snapshot is older than the stream start, the next is fresh", async () => {
    emu.inject({ name: "staleSnapshot", symbol: "BTCUSDT", target: "spot" });
    emu.step(5);
    const c = await connect(`${emu.wsUrl}/ws/btcusdt@depth@100ms`);
    try {
      emu.step(1);
      await c.waitFor(() => c.frames.length >= 1);
      const U0 = (JSON.parse(c.frames[0]) as Diff).U;
      const stale = (await getJson(`${emu.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5000`)).body;
      assert(stale.lastUpdateId < U0 - 1, "stale snapshot must be older than the first event");
      const fresh = (await getJson(`${emu.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5000`)).body;
      assert(fresh.lastUpdateId >= U0 - 1);
    } finally {
      await c.close();
    }
  });
});
