/**
 * How `ubtsl` prints the manager's events: one human line per event, or one JSON object per line
 * (`--json`; errors as `{ name, message }`).
 *
 * @module
 */
import type { TrailingEvent } from "./events.ts";

/**
 * One human line of an event.
 *
 * @param e The event.
 * @returns The line (no newline).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { eventLine } from "./cli_output.ts";
 *
 * assertEquals(eventLine({ type: "stopped", time: 0, leftOnBook: null } as never), "Stopped: no stop is left on the book");
 * ```
 */
export function eventLine(e: TrailingEvent): string {
  switch (e.type) {
    case "started":
      return e.stop
        ? `Started: ${e.adopted ? "adopted" : "placed"} ${e.stop.type} ${e.stop.side} ${e.stop.quantity} at ${
          e.stop.stopPrice ?? `trailingDelta ${e.stop.trailingDelta ?? e.stop.callbackRate}`
        }`
        : "Started";
    case "stopMoved":
      return `Stop ${e.via === "place" ? "placed" : "moved"}: ${e.stop.stopPrice ?? "native"}${
        e.stop.price ? ` (limit ${e.stop.price})` : ""
      } for ${e.stop.quantity}, reference ${e.reference}`;
    case "partiallyFilled":
      return `Partially filled: ${e.filledQuantity} at ${e.averagePrice}`;
    case "finished":
      return e.reason === "filled"
        ? `STOP LOSS FILLED: ${e.filledQuantity} at an average of ${e.averagePrice}`
        : `Finished (${e.reason})`;
    case "error":
      return `${e.fatal ? "Error" : "Warning"}: ${e.error.message}`;
    case "stopped":
      return e.leftOnBook
        ? `Stopped: the stop ${e.leftOnBook.clientOrderId} (${e.leftOnBook.type} at ${
          e.leftOnBook.stopPrice ?? "native trail"
        }) is left on the book`
        : "Stopped: no stop is left on the book";
  }
}

/**
 * One JSON line of an event (errors as `{ name, message }`).
 *
 * @param e The event.
 * @returns JSON text (no newline).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { jsonOf } from "./cli_output.ts";
 *
 * const e = { type: "error", time: 1, fatal: false, error: new RangeError("Bad") } as never;
 * assertEquals(JSON.parse(jsonOf(e)).error, { name: "RangeError", message: "Bad" });
 * ```
 */
export function jsonOf(e: TrailingEvent): string {
  return JSON.stringify(
    e.type === "error" ? { ...e, error: { name: e.error.name, message: e.error.message } } : e,
  );
}
