/**
 * Order books for the local depth cache: the WASM-backed book (`WasmBook`), the TypeScript
 * reference book (`ReferenceBook`, the fallback and test oracle) and {@link createOrderBook},
 * which picks the WASM book once `init()` has completed.
 *
 * @example
 * ```ts
 * import { createOrderBook, init } from "./book.ts";
 * import { assertEquals } from "@std/assert";
 *
 * await init();
 * const book = createOrderBook({ family: "spot", priceScale: 8 });
 * book.loadSnapshot({ lastUpdateId: 1, bids: [["0.35210000", "672.00000000"]], asks: [] });
 * assertEquals(book.read("bids", { limit: 1 }), [[0.3521, 672]]);
 * ```
 *
 * @module
 */
import type { BookOptions, OrderBook } from "./book_types.ts";
import { ReferenceBook } from "./reference_book.ts";
import { init, isWasmReady, type WasmBytes, type WasmModule } from "./wasm.ts";
import { WasmBook } from "./wasm_book.ts";

export type {
  BookOptions,
  BookSide,
  BookState,
  DepthDiff,
  DepthSnapshot,
  DiffVerdict,
  OrderBook,
  PriceLevel,
  ReadOptions,
  SideView,
  SyncFamily,
} from "./book_types.ts";
export { DEFAULT_BATCH_CAPACITY, DEFAULT_CAPACITY_SLACK, DEFAULT_DEPTH } from "./book_types.ts";
export { init, ReferenceBook, WasmBook, type WasmBytes, type WasmModule };

/**
 * Creates a book: the WASM book when the core is loaded, else the reference book.
 *
 * @param options Family, price scale, depth, capacity, batchCapacity.
 * @returns A new empty book.
 * @throws {RangeError} When an option is out of range.
 */
export function createOrderBook(options: BookOptions): OrderBook {
  return isWasmReady() ? new WasmBook(options) : new ReferenceBook(options);
}
