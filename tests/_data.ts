/**
 * Test helpers for reading the shared test vectors and recordings in `../shared/data/`.
 *
 * Paths are resolved from the working directory (the project root on every runner: `deno test`,
 * `bun test` and the Node artifact tests all start there), not from `import.meta.url`, because the
 * Node artifact tests run bundled copies of the test files from another directory.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cwd } from "node:process";

/** Absolute path of a file below `../shared/data/`. */
export function sharedDataPath(relPath: string): string {
  return join(cwd(), "..", "shared", "data", relPath);
}

/** Reads a text file below `../shared/data/`. */
export function readSharedText(relPath: string): string {
  return readFileSync(sharedDataPath(relPath), "utf8");
}

/** Reads and parses a JSON file below `../shared/data/` (plain `JSON.parse`). */
export function readSharedJson<T = unknown>(relPath: string): T {
  return JSON.parse(readSharedText(relPath)) as T;
}

/** Absolute path of a file inside the project (relative to the project root). */
export function projectPath(relPath: string): string {
  return join(cwd(), relPath);
}
