import { before, describe, it } from "node:test";
import { assertEquals } from "@std/assert";
import type { PriceLevel } from "../../src/depthcache/book_types.ts";
import { readSharedJson } from "../_data.ts";
import { BOOK_KINDS, ready } from "./_books.ts";

type NumLevel = [number, number];
interface Step {
  readonly op: "load_snapshot" | "store" | "read_limited";
  readonly data?: { bids: NumLevel[]; asks: NumLevel[]; nonce: number };
  readonly side?: "bids" | "asks";
  readonly price?: number;
  readonly qty?: number;
}
interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly book: string;
  readonly steps: Step[];
  readonly expected: { bids: NumLevel[]; asks: NumLevel[] };
}

const vectors = readSharedJson<{ scenarios: Scenario[] }>("peers/ccxt_orderbook_semantics_vectors.json");
const strings = (levels: NumLevel[]): PriceLevel[] => levels.map(([p, q]) => [String(p), String(q)] as const);

before(ready);

for (const kind of BOOK_KINDS) {
  describe(`ccxt order-book semantics vectors (${kind.name})`, () => {
    for (const scenario of vectors.scenarios) {
      it(`${scenario.id}: ${scenario.title}`, () => {
        // "depth=N": ccxt truncates a limited book to N levels per side; ours prunes to depth
        const depth = scenario.book.startsWith("depth=") ? Number(scenario.book.slice(6)) : 100;
        const book = kind.create({ family: "spot", priceScale: 1, depth });
        let id = 0;
        let read: { bids: NumLevel[]; asks: NumLevel[] } | undefined;
        for (const step of scenario.steps) {
          if (step.op === "load_snapshot") {
            id = step.data!.nonce;
            book.loadSnapshot({
              lastUpdateId: id,
              bids: strings(step.data!.bids),
              asks: strings(step.data!.asks),
            });
          } else if (step.op === "store") {
            id++;
            const level = strings([[step.price!, step.qty!]]);
            const verdict = book.applyDiff({
              U: id,
              u: id,
              b: step.side === "bids" ? level : [],
              a: step.side === "asks" ? level : [],
            });
            assertEquals(verdict, "applied");
          } else {
            read = { bids: book.read("bids"), asks: book.read("asks") };
          }
        }
        assertEquals(read, { bids: scenario.expected.bids, asks: scenario.expected.asks });
      });
    }
  });
}
