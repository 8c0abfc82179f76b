/**
 * Test helper: both order-book implementations behind one factory, so each behaviour test runs
 * against the WASM book and the reference book.
 *
 * @module
 */
import type { BookOptions, OrderBook } from "../../src/depthcache/book_types.ts";
import { ReferenceBook } from "../../src/depthcache/reference_book.ts";
import { init } from "../../src/depthcache/wasm.ts";
import { WasmBook } from "../../src/depthcache/wasm_book.ts";

/** A named book factory. */
export interface BookKind {
  readonly name: string;
  create(options: BookOptions): OrderBook;
}

/** The two implementations (call `await init()` before creating WASM books). */
export const BOOK_KINDS: readonly BookKind[] = [
  { name: "wasm", create: (options) => new WasmBook(options) },
  { name: "reference", create: (options) => new ReferenceBook(options) },
];

/** Loads the WASM core (idempotent). */
export function ready(): Promise<void> {
  return init();
}
