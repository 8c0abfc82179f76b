/**
 * A file-backed {@link TrailingStateStore} (`node:fs`; Deno, Bun and Node). One JSON file holds
 * the states of every engine key; writes go to a temporary file that is renamed over the old one,
 * so a crash never leaves a half-written file.
 *
 * @module
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import type { TrailingState, TrailingStateStore } from "./state_store.ts";

/**
 * Keeps trail states in a JSON file.
 *
 * @example Round trip through a temporary file
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { FileStateStore } from "./state_file_node.ts";
 *
 * const store = new FileStateStore(join(mkdtempSync(join(tmpdir(), "tsl-")), "state.json"));
 * await store.save("k", { version: 1, prefix: "t1", seq: 2, stopPrice: "99" });
 * assertEquals((await new FileStateStore(store.path).load("k"))?.stopPrice, "99");
 * ```
 */
export class FileStateStore implements TrailingStateStore {
  /** The file. */
  readonly path: string;
  #chain: Promise<unknown> = Promise.resolve();

  /**
   * @param path JSON file (created on the first save).
   */
  constructor(path: string) {
    if (typeof path !== "string" || path === "") {
      throw new TypeError("Invalid path: expected a non-empty file path");
    }
    this.path = path;
  }

  async #readAll(): Promise<Record<string, TrailingState>> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") return {};
      throw e;
    }
    try {
      const parsed = JSON.parse(text);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new Error("not an object");
      }
      return parsed as Record<string, TrailingState>;
    } catch (e) {
      throw new TypeError(`Invalid state file ${this.path}: ${(e as Error).message}`);
    }
  }

  #update(change: (all: Record<string, TrailingState>) => void): Promise<void> {
    const next = this.#chain.then(async () => {
      const all = await this.#readAll();
      change(all);
      const tmp = `${this.path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
      await writeFile(tmp, JSON.stringify(all, null, 2) + "\n", "utf8");
      await rename(tmp, this.path);
    });
    this.#chain = next.catch(() => {});
    return next;
  }

  /**
   * The state of `key`.
   *
   * @param key Engine key.
   * @returns The saved state or `null`.
   * @throws {TypeError} The file is not a JSON object.
   */
  async load(key: string): Promise<TrailingState | null> {
    await this.#chain;
    return (await this.#readAll())[key] ?? null;
  }

  /**
   * Saves `state` under `key`.
   *
   * @param key Engine key.
   * @param state State.
   * @returns Nothing.
   */
  save(key: string, state: TrailingState): Promise<void> {
    return this.#update((all) => void (all[key] = state));
  }

  /**
   * Forgets `key`.
   *
   * @param key Engine key.
   * @returns Nothing.
   */
  clear(key: string): Promise<void> {
    return this.#update((all) => void delete all[key]);
  }
}
