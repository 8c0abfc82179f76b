// Starts the Binance emulator from the built npm artifact (Node) for the workerd smoke test, with
// one HMAC account the worker's signed REST checks use.
import { join } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";

export const EDGE_API_KEY = "edgeKey";
export const EDGE_API_SECRET = "edgeSecret";

/** @returns {Promise<{ restUrl: string, apiKey: string, apiSecret: string, close: () => Promise<void> }>} */
export async function startForWorkerd() {
  const entry = pathToFileURL(join(process.cwd(), "npm", "esm", "src", "testing", "mod.js")).href;
  const { startEmulator } = await import(entry);
  const emu = await startEmulator({
    seed: 3,
    accounts: [{ apiKey: EDGE_API_KEY, secretKey: EDGE_API_SECRET }],
  });
  return { restUrl: emu.restUrl, apiKey: EDGE_API_KEY, apiSecret: EDGE_API_SECRET, close: () => emu.close() };
}
