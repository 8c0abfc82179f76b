/**
 * Linear-memory arenas for WASM books: many books (one small instance each) share one
 * `WebAssembly.Memory` of fixed size, each in its own region. Why: creating a `WebAssembly.Memory`
 * is the expensive part of a book (Bun ran a full GC per memory: 1 000 markets took 83 s with one
 * memory per book), while instances are cheap; and regions waste no page padding.
 *
 * Arenas never grow (initial == maximum), so views on them stay valid. Regions of books that are
 * garbage-collected return to a free list of their size (FinalizationRegistry) and are reused.
 *
 * Each arena starts with a scratch area of {@link SCRATCH_BYTES} shared by its books: the UTF-8
 * text of a frame is written there right before the core parses it in the same call (JS is
 * single-threaded, so one frame at a time per arena).
 *
 * @module
 */

const PAGE = 65536;
/** Pages of a regular arena (2 MiB: about 40 default books). */
const ARENA_PAGES = 32;

/** Bytes of an arena's frame scratch area (a larger frame takes the JSON.parse path). */
export const SCRATCH_BYTES = 65536;

/** A region of an arena. */
export interface Region {
  readonly memory: WebAssembly.Memory;
  readonly base: number;
  readonly bytes: number;
  /** The arena's frame scratch area (shared by its books). */
  readonly scratch: Uint8Array<ArrayBuffer>;
  /** Address of `scratch` in the memory. */
  readonly scratchBase: number;
}

interface Arena {
  readonly memory: WebAssembly.Memory;
  readonly scratch: Uint8Array<ArrayBuffer>;
  readonly scratchBase: number;
  readonly end: number;
  next: number;
  readonly free: Map<number, number[]>;
}

/** Arenas per first usable address (the module's heap base). */
const arenasByBase = new Map<number, Arena[]>();

const registry: FinalizationRegistry<{ arena: Arena; base: number; bytes: number }> | undefined =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry(({ arena, base, bytes }) => {
      const list = arena.free.get(bytes);
      if (list) list.push(base);
      else arena.free.set(bytes, [base]);
    })
    : undefined;

function align(n: number): number {
  return (n + 63) & ~63;
}

function newArena(heapBase: number, bytes: number): Arena {
  const scratchBase = align(heapBase);
  const first = scratchBase + SCRATCH_BYTES;
  const pages = Math.max(ARENA_PAGES, Math.ceil((first + bytes) / PAGE));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  // not shared (no `shared: true`): the buffer is an ArrayBuffer, which Deno's default lib does not know
  const scratch = new Uint8Array(memory.buffer as ArrayBuffer, scratchBase, SCRATCH_BYTES);
  return { memory, scratch, scratchBase, end: pages * PAGE, next: first, free: new Map() };
}

/**
 * A region of `bytes` (rounded up to 64) for a book whose lifetime is tied to `owner`.
 *
 * @param owner The book; when it is collected, its region is reused.
 * @param heapBase First usable address of the module.
 * @param bytes Region size.
 */
export function allocateRegion(owner: object, heapBase: number, bytes: number): Region {
  const size = align(bytes);
  let arenas = arenasByBase.get(heapBase);
  if (arenas === undefined) {
    arenas = [];
    arenasByBase.set(heapBase, arenas);
  }
  let arena: Arena | undefined;
  let base = -1;
  for (const a of arenas) {
    const reused = a.free.get(size)?.pop();
    if (reused !== undefined) {
      arena = a;
      base = reused;
      break;
    }
  }
  if (arena === undefined) {
    arena = arenas.find((a) => a.next + size <= a.end);
    if (arena === undefined) {
      arena = newArena(heapBase, size);
      arenas.push(arena);
    }
    base = arena.next;
    arena.next += size;
  }
  registry?.register(owner, { arena, base, bytes: size });
  return { memory: arena.memory, base, bytes: size, scratch: arena.scratch, scratchBase: arena.scratchBase };
}
