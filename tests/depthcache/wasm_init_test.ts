import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { assert, assertEquals, assertRejects, assertStrictEquals, assertThrows } from "@std/assert";
import { init, isWasmReady, wasmModule } from "../../src/depthcache/wasm.ts";
import { wasmBase64 } from "../../src/depthcache/wasm_bytes.ts";
import { WasmBook } from "../../src/depthcache/wasm_book.ts";
import { projectPath } from "../_data.ts";

function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

describe("WASM core module", () => {
  it("embedded base64 equals the shipped core.wasm", () => {
    const file = new Uint8Array(readFileSync(projectPath("src/depthcache/core.wasm")));
    assertEquals(base64Bytes(wasmBase64), file);
  });

  it("imports only a memory and exports the book API", () => {
    const module = new WebAssembly.Module(base64Bytes(wasmBase64));
    assertEquals(WebAssembly.Module.imports(module), [{ module: "env", name: "memory", kind: "memory" }]);
    const names = WebAssembly.Module.exports(module).map((e) => e.name);
    for (const name of ["setup", "diff", "frame", "levels", "beginSnapshot", "untilNotional", "region"]) {
      assert(names.includes(name), `missing export ${name}`);
    }
  });

  it("rejects a source that is neither a module nor bytes", async () => {
    await assertRejects(() => init("nope" as unknown as BufferSource), TypeError, "source must be");
  });

  it("init() is idempotent and concurrent calls share one module", async () => {
    await Promise.all([init(), init(), init()]);
    assert(isWasmReady());
    const first = wasmModule();
    await init(new WebAssembly.Module(base64Bytes(wasmBase64)));
    assertStrictEquals(wasmModule(), first);
  });

  it("a book's memory is fixed: growing it fails, views stay attached", async () => {
    await init();
    const book = new WasmBook({ family: "spot", priceScale: 2, depth: 1000 });
    // headers 2 * 32 + frame info 16, both sides, the input batch; regions are 64-byte aligned
    const region = (capacity: number) => Math.ceil((80 + capacity * 32 + 512 * 16) / 64) * 64;
    assertEquals(book.memoryBytes, region(1256)); // default depth: 48 KiB region
    const view = book.view("bids");
    book.loadSnapshot({ lastUpdateId: 1, bids: [["1.00", "2"]], asks: [] });
    assertEquals(view.ticks.buffer.byteLength, 32 * 65536); // a 2 MiB arena shared by books
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    assertThrows(() => memory.grow(1), RangeError);
    const deep = new WasmBook({ family: "spot", priceScale: 2, depth: 5000 });
    assertEquals(deep.memoryBytes, region(5256));
  });

  it("books sharing arenas stay independent", async () => {
    await init();
    const books = Array.from(
      { length: 100 },
      (_, i) =>
        new WasmBook({
          family: i % 2 === 0 ? "spot" : "futures",
          priceScale: 0,
          depth: 20 + (i % 7),
          capacity: 1000,
        }),
    );
    books.forEach((book, i) => {
      const bids = Array.from({ length: 40 }, (_, k) => [String(1000 + i - k), String(i + 1)] as const);
      book.loadSnapshot({ lastUpdateId: i, bids, asks: [[String(2000 + i), "1"]] });
    });
    books.forEach((book, i) => {
      assertEquals([book.lastUpdateId, book.length("bids"), book.bestTick("bids")], [
        i,
        20 + (i % 7),
        1000 + i,
      ]);
      assertEquals(book.read("asks"), [[2000 + i, 1]]);
      assertEquals(book.read("bids", { limit: 1 }), [[1000 + i, i + 1]]);
    });
    const buffers = new Set(books.map((b) => b.view("bids").ticks.buffer));
    assert(buffers.size > 1 && buffers.size < 10, `${buffers.size} arenas for 100 books`);
  });
});
