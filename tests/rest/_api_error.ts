/**
 * Test helper: a call must reject with a `BinanceApiError` of the given Binance code (and, when
 * given, a message containing `text`).
 *
 * @module
 */
import { assert, assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
import { BinanceApiError } from "../../src/core/errors.ts";

/** Awaits `p` and checks it rejected with `BinanceApiError` `code` (and `text` in the message). */
export async function apiError(p: Promise<unknown>, code: number, text?: string): Promise<void> {
  const e = await assertRejects(() => p);
  assertInstanceOf(e, BinanceApiError);
  assertEquals((e as BinanceApiError).code, code, (e as Error).message);
  if (text !== undefined) assert((e as Error).message.includes(text), (e as Error).message);
}
