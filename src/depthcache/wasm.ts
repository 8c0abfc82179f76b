/**
 * Loader of the WASM order-book core.
 *
 * Call {@link init} once (it is idempotent) before creating WASM-backed books. Without an argument
 * it decodes the module embedded in `wasm_bytes.ts` (base64, decoded with `atob`), so no file or
 * network access is needed. Runtimes that forbid compiling WASM from bytes (Cloudflare workerd,
 * Vercel Edge) pass a precompiled `WebAssembly.Module` instead, e.g. one imported from the package's
 * `core.wasm`. Importing this module does nothing; there is no top-level await.
 *
 * @example Loading the embedded module
 * ```ts
 * import { init, isWasmReady } from "./wasm.ts";
 * import { assert } from "@std/assert";
 *
 * await init();
 * assert(isWasmReady());
 * ```
 *
 * @module
 */
import { wasmBase64 } from "./wasm_bytes.ts";

/**
 * A compiled `WebAssembly.Module`, as `WebAssembly.compile` returns it or a workerd / bundler
 * import of `unicorn-binance/core.wasm` provides it. Looked up on `globalThis` so the declarations
 * also type-check where no `WebAssembly` types exist (tsc with `lib: ["es2023"]` and
 * `types: ["node"]`): there it is `object`. (The lib's `WebAssembly.Module` is an empty interface,
 * which a string would satisfy: `& object` keeps primitives out.)
 */
export type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } }
  ? M & object
  : object;

/** The bytes of a WASM module: an `ArrayBuffer` or a view on one (the DOM lib's `BufferSource`). */
export type WasmBytes = ArrayBuffer | ArrayBufferView;

let compiled: WebAssembly.Module | undefined;
let pending: Promise<WebAssembly.Module> | undefined;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function isModule(source: unknown): source is WebAssembly.Module {
  return typeof WebAssembly.Module === "function" && source instanceof WebAssembly.Module;
}

function isBufferSource(source: unknown): source is WasmBytes {
  return source instanceof ArrayBuffer || ArrayBuffer.isView(source);
}

/**
 * Loads the WASM core. Safe to call many times and concurrently: the first call decides the
 * module, later calls resolve to the same one (a later `source` is ignored once loaded).
 *
 * @param source A precompiled `WebAssembly.Module` (required on workerd / edge runtimes), or the
 *   module bytes; omitted, the embedded bytes are used.
 * @returns A promise that resolves when WASM books can be created.
 * @throws {TypeError} When `source` is neither a `WebAssembly.Module` nor a `BufferSource`.
 * @throws {WebAssembly.CompileError} When the runtime cannot compile the bytes (e.g. workerd: pass
 *   a precompiled module instead).
 */
export function init(source?: WasmModule | WasmBytes): Promise<void> {
  if (source !== undefined && !isModule(source) && !isBufferSource(source)) {
    return Promise.reject(
      new TypeError("Cannot initialize the WASM core: source must be a WebAssembly.Module or a BufferSource"),
    );
  }
  if (compiled !== undefined) return Promise.resolve();
  if (pending === undefined) {
    pending = isModule(source)
      ? Promise.resolve(source)
      : WebAssembly.compile((source as BufferSource | undefined) ?? decodeBase64(wasmBase64));
    pending.then((module) => {
      compiled = module;
    }, () => {
      pending = undefined; // a failed load can be retried, e.g. with a precompiled module
    });
  }
  return pending.then(() => undefined);
}

/**
 * Tells whether {@link init} has completed.
 *
 * @returns `true` once WASM books can be created synchronously.
 */
export function isWasmReady(): boolean {
  return compiled !== undefined;
}

/**
 * The compiled core module.
 *
 * @returns The module loaded by {@link init}.
 * @throws {Error} When {@link init} has not completed yet.
 */
export function wasmModule(): WasmModule {
  if (compiled === undefined) {
    throw new Error("Cannot use the WASM core: call and await init() first");
  }
  return compiled;
}
