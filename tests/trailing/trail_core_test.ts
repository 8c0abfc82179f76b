/**
 * The state machine behind the manager (`src/trailing/_trail.ts`) on a scripted venue, for
 * interleavings the emulator cannot pin down: a cancel-replace whose answer was lost executes on
 * the exchange while the engine's reconciliation queries are in flight, and its order updates
 * arrive between the two queries (found by the seeded chaos run on Node: a stop left on the book
 * after the trail had sold at market); and a placement that executes after the engine has placed
 * another stop.
 *
 * @module
 */
import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { TrailCore, type TrailHost } from "../../src/trailing/_trail.ts";
import type { OrderSnapshot, VenueAdapter, WireStop } from "../../src/trailing/_venue.ts";
import { trailConfig } from "../../src/trailing/engine.ts";
import { OrderStatusUnknownError } from "../../src/rest/errors.ts";
import type { TrailingEvent } from "../../src/trailing/events.ts";
import { rulesOf } from "./_rules.ts";

/** An order book of one symbol with the venue calls the core makes, each scriptable. */
class ScriptedVenue {
  readonly orders = new Map<string, OrderSnapshot>();
  readonly calls: string[] = [];
  /** Runs inside `query(id)` before it answers (an order update arriving meanwhile). */
  onQuery: ((id: string) => void) | undefined;
  /** The next cancel-replace executes only when `execute()` is called, and its answer is lost. */
  loseNextReplace = false;
  /** The same for the next place. */
  loseNextPlace = false;
  #pending: (() => void) | undefined;

  snapshot(id: string, order: WireStop, status: string): OrderSnapshot {
    return {
      clientOrderId: id,
      orderId: String(this.orders.size + 1),
      status,
      type: order.type,
      side: order.side,
      quantity: order.quantity ?? "0",
      filled: status === "FILLED" ? order.quantity ?? "0" : "0",
      ...(status === "FILLED" ? { filledQuote: "100" } : {}),
      ...(order.stopPrice ? { stopPrice: order.stopPrice } : {}),
    };
  }

  #settle(id: string, order: WireStop): OrderSnapshot {
    // the venue's own rule: a MARKET order fills at once, a stop rests
    const s = this.snapshot(id, order, order.type === "MARKET" ? "FILLED" : "NEW");
    this.orders.set(id, s);
    return s;
  }

  /** Executes the cancel-replace whose answer was lost. */
  execute(): void {
    const run = this.#pending;
    this.#pending = undefined;
    assert(run, "a lost cancel-replace is pending");
    run();
  }

  open(): OrderSnapshot[] {
    return [...this.orders.values()].filter((o) => o.status === "NEW");
  }

  adapter(): VenueAdapter {
    return {
      kind: "spot",
      replaceStrategy: "cancelReplace",
      symbolInfo: () => Promise.reject(new Error("not used")),
      holding: () => Promise.resolve({ quantity: "1", direction: "long" }),
      place: (order, id) => {
        this.calls.push(`place ${id} ${order.type}`);
        if (this.loseNextPlace) {
          this.loseNextPlace = false;
          this.#pending = () => this.#settle(id, order);
          return Promise.reject(
            new OrderStatusUnknownError("Request order.place got no response: connection lost", {
              newClientOrderId: id,
              endpoint: "order.place",
            }),
          );
        }
        return Promise.resolve(this.#settle(id, order));
      },
      cancelReplace: (oldId, order, id) => {
        this.calls.push(`cancelReplace ${oldId} -> ${id} ${order.type}`);
        const run = () => {
          const old = this.orders.get(oldId);
          assert(old && old.status === "NEW", `${oldId} is open`);
          this.orders.set(oldId, { ...old, status: "CANCELED" });
          this.#settle(id, order);
        };
        if (this.loseNextReplace) {
          this.loseNextReplace = false;
          this.#pending = run;
          return Promise.reject(
            new OrderStatusUnknownError("Request order.cancelReplace got no response: connection lost", {
              newClientOrderId: id,
              endpoint: "order.cancelReplace",
            }),
          );
        }
        run();
        return Promise.resolve(this.orders.get(id)!);
      },
      cancel: (id) => {
        this.calls.push(`cancel ${id}`);
        const o = this.orders.get(id);
        if (!o || o.status !== "NEW") return Promise.resolve(null);
        const c = { ...o, status: "CANCELED" };
        this.orders.set(id, c);
        return Promise.resolve(c);
      },
      query: (id) => {
        this.calls.push(`query ${id}`);
        this.onQuery?.(id);
        return Promise.resolve(this.orders.get(id) ?? null);
      },
      openOrders: () => Promise.resolve(this.open()),
      enter: () => Promise.reject(new Error("not used")),
      orderUpdate: () => null,
    } as VenueAdapter;
  }
}

function core(venue: ScriptedVenue, events: TrailingEvent[]): TrailCore {
  const host: TrailHost = {
    venue: venue.adapter(),
    rules: rulesOf("0.01", "0.001"),
    settings: {
      config: trailConfig({ side: "SELL", distance: "1%", orderType: "MARKET" }),
      maxRetries: 3,
      maxRateLimitWaitMs: 1000,
      backoff: { baseMs: 1, maxMs: 2 },
      onExternalCancel: "replace",
    },
    emit: (e) => events.push(e),
    save: () => {},
    requantify: () => Promise.resolve("1"),
    end: () => {},
  };
  return new TrailCore(host, { prefix: "tslT", seq: 1, quantity: "1", best: "100", fresh: true });
}

/** Runs the chain until it is idle. */
async function settle(c: TrailCore): Promise<void> {
  await c.enqueue(() => Promise.resolve());
}

describe("trail core: requests whose answer was lost and that execute late", () => {
  it("its order updates arrive between the two queries: the new stop stays the stop, nothing is orphaned", async () => {
    const venue = new ScriptedVenue();
    const events: TrailingEvent[] = [];
    const c = core(venue, events);
    c.onPrice("100");
    await settle(c);
    assertEquals(c.stop?.clientOrderId, "tslT1");
    assertEquals(c.stop?.stopPrice, "99.00");

    // the move's answer is lost; the exchange executes it after the engine asked for the new
    // order (unknown yet) and before it asks for the old one, and the updates come in between
    venue.loseNextReplace = true;
    venue.onQuery = (id) => {
      // the engine asked for tslT2 (not known yet) and now asks for tslT1
      if (id !== "tslT1" || !venue.calls.includes("query tslT2")) return;
      venue.onQuery = undefined;
      venue.execute();
      c.onOrderUpdate(venue.orders.get("tslT1")!); // CANCELED
      c.onOrderUpdate(venue.orders.get("tslT2")!); // NEW
    };
    c.onPrice("102");
    await settle(c);
    assertEquals(venue.open().map((o) => o.clientOrderId), ["tslT2"]);
    assertEquals(
      c.stop?.clientOrderId,
      "tslT2",
      `the engine holds ${c.stop?.clientOrderId}; calls: ${venue.calls}`,
    );

    // the next move replaces that stop, so only one own order is ever on the book
    c.onPrice("104");
    await settle(c);
    assertEquals(venue.open().map((o) => o.clientOrderId), [c.stop?.clientOrderId]);
    assert(venue.calls.some((x) => x.startsWith("cancelReplace tslT2 -> ")), venue.calls.join("\n"));
    assertEquals(events.filter((e) => e.type === "finished"), []);
  });

  it("the updates arrive after both queries: the late order is adopted when it shows up", async () => {
    const venue = new ScriptedVenue();
    const events: TrailingEvent[] = [];
    const c = core(venue, events);
    c.onPrice("100");
    await settle(c);
    venue.loseNextReplace = true;
    c.onPrice("102");
    await settle(c);
    // the engine found the old stop still open and keeps it
    assertEquals(c.stop?.clientOrderId, "tslT1");
    venue.execute();
    c.onOrderUpdate(venue.orders.get("tslT1")!);
    c.onOrderUpdate(venue.orders.get("tslT2")!);
    await settle(c);
    assertEquals(c.stop?.clientOrderId, "tslT2");
    assertEquals(venue.open().map((o) => o.clientOrderId), ["tslT2"]);
  });

  it("a lost placement that executes after the engine placed another stop: the second own stop is cancelled", async () => {
    const venue = new ScriptedVenue();
    const events: TrailingEvent[] = [];
    const c = core(venue, events);
    venue.loseNextPlace = true;
    c.onPrice("100");
    await settle(c);
    // the first placement's outcome is unknown and Binance does not know it: the engine places anew
    assertEquals(c.stop?.clientOrderId, "tslT2");
    venue.execute(); // the first request executes late
    c.onOrderUpdate(venue.orders.get("tslT1")!); // NEW
    await settle(c);
    assertEquals(venue.open().map((o) => o.clientOrderId), ["tslT2"], venue.calls.join("\n"));
    assertEquals(c.stop?.clientOrderId, "tslT2");
  });
});
