// The pure parts of the NATS watch: delivery metadata from the reply subject, the server-side
// filter of a key prefix, and the snapshot a replay comes to.
import { describe, it } from "node:test";
import { assertEquals } from "@std/assert";
import { type DeliveryMeta, entriesOf, filterFor, parseAckSubject } from "../../src/cluster/_nats_watch.ts";

describe("NATS watch rules", () => {
  it("reads stream sequence, delivery sequence and pending from v1 and v2 reply subjects", () => {
    const table: [string, DeliveryMeta | null][] = [
      ["$JS.ACK.KV_b.oc_1.1.42.7.1700000000000000000.3", { streamSeq: 42, deliverySeq: 7, pending: 3 }],
      ["$JS.ACK.hub.ACCHASH.KV_b.oc_1.1.42.7.1700000000000000000.0", {
        streamSeq: 42,
        deliverySeq: 7,
        pending: 0,
      }],
      ["$JS.ACK.hub.ACCHASH.KV_b.oc_1.1.9.1.1700000000000000000.5.rnd", {
        streamSeq: 9,
        deliverySeq: 1,
        pending: 5,
      }],
      ["$JS.ACK.KV_b.oc_1.1.x.7.1.3", null], // not a number
      ["$JS.ACK.KV_b.oc_1.1.42.7", null], // too short
      ["_INBOX.abc.1", null],
      ["", null],
    ];
    for (const [reply, want] of table) assertEquals(parseAckSubject(reply), want, reply);
  });

  it("filters on the whole tokens of a prefix and leaves a partial token to the client", () => {
    const p = "$KV.b.";
    const table: [string, string][] = [
      ["", "$KV.b.>"],
      ["dc", "$KV.b.>"],
      ["dc.", "$KV.b.dc.>"],
      ["dc.binance_com.BTC", "$KV.b.dc.binance_com.>"],
      ["dc.binance_com.", "$KV.b.dc.binance_com.>"],
      [".x", "$KV.b.>"],
      ["dc..x", "$KV.b.>"], // an empty token matches no key: the client filter drops everything
    ];
    for (const [prefix, want] of table) assertEquals(filterFor(p, prefix), want, prefix);
  });

  it("turns replayed events into the live entries in key order", () => {
    const put = (key: string, value: string, revision: number) => ({
      op: "put" as const,
      key,
      value,
      revision,
      initial: true,
    });
    assertEquals(
      entriesOf([
        put("b", "1", 1),
        put("a", "2", 2),
        put("c", "3", 3),
        { op: "delete", key: "c", value: "", revision: 4, initial: false },
        put("b", "5", 5),
      ]),
      [{ key: "a", value: "2", revision: 2 }, { key: "b", value: "5", revision: 5 }],
    );
  });
});
