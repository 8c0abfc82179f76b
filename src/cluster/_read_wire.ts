/**
 * The wire form of a node's read answer, shared by the node (which writes it) and the router (which
 * reads it): `{"ok":true,"lastUpdateId":U,"eventTime":T,"levels":[…]}` — a {@link NodeReadResponse}
 * as JSON with its fields in this order, so the router takes the update id and the event time from
 * the head and passes the levels through as the node wrote them, without parsing and serialising
 * them again. On the WebSocket channel the answer starts with the request id (`{"i":N,"ok":…`).
 * Anything else (an error answer, another field order) is parsed and checked with the schema.
 *
 * @module
 */
import { type NodeReadResponse, NodeReadResponseSchema } from "./protocol.ts";

/** A node's answer with the levels as JSON text. */
export type RawNodeAnswer =
  | {
    readonly ok: true;
    readonly lastUpdateId: number;
    readonly eventTime: number;
    /** The levels, JSON text of `[[price, quantity], …]`. */
    readonly levelsJson: string;
  }
  | Extract<NodeReadResponse, { ok: false }>;

/**
 * The JSON text of an answer (`levels` last).
 *
 * @param r The answer.
 * @returns `{"ok":true,"lastUpdateId":…,"eventTime":…,"levels":[…]}` or the error object.
 */
export function answerText(r: NodeReadResponse): string {
  if (!r.ok) return JSON.stringify(r);
  return `{"ok":true,"lastUpdateId":${r.lastUpdateId},"eventTime":${r.eventTime},"levels":${
    JSON.stringify(r.levels)
  }}`;
}

const OK = '"ok":true,"lastUpdateId":';
const EVENT_TIME = ',"eventTime":';
const LEVELS = ',"levels":[';

/** The non-negative integer of `text` from `at` to the next `,` (or -1). */
function intAt(text: string, at: number, end: number): number {
  if (end <= at || end - at > 16) return -1;
  let n = 0;
  for (let k = at; k < end; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Reads an answer written by {@link answerText} (or any JSON {@link NodeReadResponse}; extra fields
 * such as the channel's `i` are ignored).
 *
 * @param text The JSON text.
 * @param from Index of the first field (after `{` or after `{"i":N,`).
 * @returns The answer, or null when the text is not a valid answer.
 */
export function parseAnswerText(text: string, from = 1): RawNodeAnswer | null {
  if (text.startsWith(OK, from) && text.endsWith("]}")) {
    const a = from + OK.length;
    const comma = text.indexOf(",", a);
    const lastUpdateId = intAt(text, a, comma);
    const b = comma + EVENT_TIME.length;
    const comma2 = text.indexOf(",", b);
    const eventTime = intAt(text, b, comma2);
    if (
      lastUpdateId >= 0 && eventTime >= 0 && text.startsWith(EVENT_TIME, comma) &&
      text.startsWith(LEVELS, comma2)
    ) {
      return { ok: true, lastUpdateId, eventTime, levelsJson: text.slice(comma2 + LEVELS.length - 1, -1) };
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const r = NodeReadResponseSchema.safeParse(parsed);
  if (!r.success) return null;
  return r.data.ok
    ? {
      ok: true,
      lastUpdateId: r.data.lastUpdateId,
      eventTime: r.data.eventTime,
      levelsJson: JSON.stringify(r.data.levels),
    }
    : r.data;
}
