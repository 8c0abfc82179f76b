/**
 * Loads hono when a router or node starts, so that importing `unicorn-binance/cluster` (for the
 * client) needs no server package, and a missing one is named with its install command.
 *
 * @module
 */
import type { Hono } from "hono";
import { isModuleNotFound } from "../core/_modules.ts";

/**
 * The `Hono` class.
 *
 * @param role What is starting (for the message), e.g. `"a cluster router"`.
 * @returns The class.
 * @throws {Error} When hono is not installed (the message says `npm install hono`).
 */
export async function loadHono(role: string): Promise<typeof Hono> {
  try {
    return (await import("hono")).Hono;
  } catch (e) {
    if (!isModuleNotFound(e)) throw e;
    throw new Error(
      `Cannot start ${role}: hono is not installed; run \`npm install hono\` (on Node also ` +
        `\`@hono/node-server\`; optional peer dependencies of unicorn-binance)`,
      { cause: e },
    );
  }
}
