/**
 * `unicornfy(frame, { exchange })`: one raw Binance WebSocket frame → one readable object.
 *
 * Hot path (the WebSocket manager calls it on every frame): the per-event field tables are built
 * once; per frame there is one `Map` lookup for the exchange, one for the event, and a loop over the
 * event's table. No closures, regular expressions or string splitting per frame.
 *
 * @module
 */
import { checkOptions, type OptionKeys, optionKeys } from "../core/_options.ts";
import { parseJson } from "../core/json.ts";
import type { CompiledEvent, Raw } from "./_compile.ts";
import { type EventSpec, FIXED, STREAM } from "./field_table.ts";
import { type FamilyTables, familyTables, UNICORNFY_EXCHANGES, type UnicornfyExchange } from "./exchanges.ts";
import { UnicornfyParseError } from "./errors.ts";
import type { UnicornfiedTag, UnicornfyMessage, UnknownEvent } from "./types.ts";
import { UNICORNFY_VERSION } from "./version.ts";

/** Options of {@link unicornfy}. */
export interface UnicornfyOptions {
  /** Exchange the frame came from; selects the spot or futures dialect and goes into `unicornfied`. */
  readonly exchange: UnicornfyExchange;
}

const OPTION_KEYS: OptionKeys = optionKeys<UnicornfyOptions>({ exchange: true });

/** A normalizer bound to one exchange (see {@link createUnicornfy}). */
export type Unicornfier = (frame: string | object) => UnicornfyMessage;

interface Context {
  readonly exchange: string;
  readonly tables: FamilyTables;
  readonly tag: UnicornfiedTag;
}

const contexts = new Map<string, Context>();

function contextOf(exchange: string): Context {
  const known = contexts.get(exchange);
  if (known !== undefined) return known;
  if (typeof exchange !== "string" || !Object.hasOwn(UNICORNFY_EXCHANGES, exchange)) {
    throw new RangeError(
      `Cannot unicornfy: unknown exchange ${JSON.stringify(exchange)}, expected one of ${
        Object.keys(UNICORNFY_EXCHANGES).join(", ")
      }`,
    );
  }
  const name = exchange as UnicornfyExchange;
  const context: Context = {
    exchange: name,
    tables: familyTables(UNICORNFY_EXCHANGES[name]),
    tag: Object.freeze([name, UNICORNFY_VERSION] as const),
  };
  contexts.set(name, context);
  return context;
}

/**
 * Turns a raw Binance WebSocket frame into a readable, typed object.
 *
 * Accepts a frame as text or already parsed; combined-stream envelopes (`{stream, data}`), WebSocket
 * API user-data envelopes (`{subscriptionId, event}`), raw single-stream payloads and raw arrays
 * (`!miniTicker@arr` …). Text is parsed with 64-bit-safe integers (ids above 2^53 − 1 become
 * `bigint`). Keys follow Python UnicornFy's tables in camelCase; prices and quantities stay decimal
 * strings. Unknown events come back with their payload (never dropped); subscription results and
 * errors have their own kinds (`eventType` `"result"` / `"error"`).
 *
 * @example Normalize a combined-stream trade
 * ```ts
 * import { unicornfy } from "./unicornfy.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const msg = unicornfy(
 *   '{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":7,"p":"9302.00","q":"0.1","T":1,"m":false,"M":true}}',
 *   { exchange: "binance.com" },
 * );
 * if (msg.eventType === "trade") assertEquals(msg.price, "9302.00");
 * assertEquals(msg.eventType, "trade");
 * ```
 *
 * @param frame The frame: JSON text or the parsed value.
 * @param options `exchange`: which venue sent it.
 * @returns The normalized message.
 * @throws {UnicornfyParseError} The text is not JSON (a `SyntaxError` naming the exchange and the first characters).
 * @throws {TypeError} The frame is neither text nor a JSON object or array.
 * @throws {RangeError} `exchange` is not a known exchange name.
 */
export function unicornfy(frame: string | object, options: UnicornfyOptions): UnicornfyMessage {
  checkOptions(options, "unicornfy options", OPTION_KEYS);
  return run(frame, contextOf(options.exchange));
}

/**
 * Returns {@link unicornfy} bound to one exchange (validated once, here).
 *
 * @param options `exchange`: which venue the frames come from.
 * @returns A function normalizing one frame.
 * @throws {RangeError} `exchange` is not a known exchange name.
 */
export function createUnicornfy(options: UnicornfyOptions): Unicornfier {
  checkOptions(options, "createUnicornfy options", OPTION_KEYS);
  const context = contextOf(options.exchange);
  return (frame) => run(frame, context);
}

/**
 * Whether a message is the pass-through kind for events this version does not know.
 *
 * @param msg A message returned by {@link unicornfy}.
 * @returns `true` for an {@link UnknownEvent}.
 */
export function isUnknownEvent(msg: UnicornfyMessage): msg is UnknownEvent {
  const kind = (msg as { eventType: unknown }).eventType;
  return kind !== "result" && kind !== "error" && Object.hasOwn(msg, "payload");
}

function run(frame: string | object, context: Context): UnicornfyMessage {
  let value: unknown;
  if (typeof frame === "string") {
    try {
      value = parseJson(frame);
    } catch (error) {
      throw new UnicornfyParseError(context.exchange, frame, { cause: error });
    }
  } else {
    value = frame;
  }
  if (value === null || typeof value !== "object") {
    throw new TypeError(
      `Cannot unicornfy a frame from ${context.exchange}: expected a JSON object or array, got ${
        value === null ? "null" : typeof value
      }`,
    );
  }
  if (Array.isArray(value)) return fromArray(value, undefined, context);
  return fromObject(value as Raw, context);
}

function fromObject(frame: Raw, context: Context): UnicornfyMessage {
  let data: unknown = frame;
  let stream: string | undefined;
  let subscriptionId: unknown;
  const s = frame.stream;
  if (typeof s === "string" && frame.data !== undefined) {
    stream = s;
    data = frame.data;
  } else if (frame.event !== undefined && frame.id === undefined) {
    // WS-API user data: {"subscriptionId": 0, "event": {…}}; eventStreamTerminated and
    // serverShutdown may come as {"event": {…}} without subscriptionId.
    data = frame.event;
    subscriptionId = frame.subscriptionId;
  }
  if (data === null || typeof data !== "object") return unknown("", data, stream, subscriptionId, context);
  if (Array.isArray(data)) return fromArray(data, stream, context);
  const raw = data as Raw;
  const e = raw.e;
  if (typeof e === "string") {
    const spec = context.tables.events.get(e);
    if (spec === undefined || !applies(spec.spec.requires, raw)) {
      return unknown(e, raw, stream, subscriptionId, context);
    }
    return fromEvent(spec, raw, stream, subscriptionId, context);
  }
  return fromNameless(frame, raw, stream, subscriptionId, context);
}

/** Whether a frame has the shape a table requires (see `EventSpec.requires`). */
function applies(requires: string, raw: Raw): boolean {
  if (requires === "") return true;
  const v = raw[requires];
  return typeof v === "string" || (v !== null && typeof v === "object" && !Array.isArray(v));
}

/** Frames without `e`: replies, errors, spot partial depth and spot bookTicker. */
function fromNameless(
  frame: Raw,
  raw: Raw,
  stream: string | undefined,
  subscriptionId: unknown,
  context: Context,
): UnicornfyMessage {
  if (raw === frame) {
    if ("result" in frame) return reply("result", frame, context);
    if (frame.error !== undefined && frame.error !== null) return reply("error", frame, context);
    if (typeof frame.code === "number" && typeof frame.msg === "string") return controlError(frame, context);
  }
  const events = context.tables.events;
  if (context.tables.spotDepth && raw.lastUpdateId !== undefined && raw.bids !== undefined) {
    return partialDepth(events.get("depth")!, raw, stream, context);
  }
  const isBookTicker = stream !== undefined
    ? stream.indexOf("@bookTicker") >= 0
    : raw.u !== undefined && raw.s !== undefined && raw.b !== undefined && raw.A !== undefined;
  if (isBookTicker) {
    const spec = events.get("bookTicker");
    if (spec !== undefined) return fromEvent(spec, raw, stream, subscriptionId, context);
  }
  return unknown("", raw, stream, subscriptionId, context);
}

function fromEvent(
  compiled: CompiledEvent,
  raw: Raw,
  stream: string | undefined,
  subscriptionId: unknown,
  context: Context,
): UnicornfyMessage {
  const spec = compiled.spec;
  const streamType = streamTypeOf(spec, raw, stream);
  if (spec.wrap) {
    return {
      streamType,
      eventType: spec.eventType,
      data: [item(compiled, raw, streamType)],
      unicornfied: context.tag,
    } as unknown as UnicornfyMessage;
  }
  const out: Raw = { streamType, eventType: spec.eventType };
  compiled.map(raw, out);
  if (spec.depthLevel) out.depthLevel = stream === undefined ? false : depthLevelOf(stream);
  if (subscriptionId !== undefined) out.subscriptionId = subscriptionId;
  out.unicornfied = context.tag;
  return out as unknown as UnicornfyMessage;
}

function fromArray(
  items: readonly unknown[],
  stream: string | undefined,
  context: Context,
): UnicornfyMessage {
  const first = items.length > 0 ? items[0] : undefined;
  const e = first !== null && typeof first === "object" ? (first as Raw).e : undefined;
  const name = typeof e === "string" ? e : "";
  const compiled = context.tables.events.get(name);
  if (compiled === undefined || !compiled.spec.wrap) return unknown(name, items, stream, undefined, context);
  const streamType = stream ?? compiled.spec.fallbackStream;
  const data = new Array(items.length);
  for (let i = 0; i < items.length; i++) data[i] = item(compiled, items[i], streamType);
  return {
    streamType,
    eventType: compiled.spec.eventType,
    data,
    unicornfied: context.tag,
  } as unknown as UnicornfyMessage;
}

function item(compiled: CompiledEvent, raw: unknown, streamType: string): Raw {
  const out: Raw = { streamType, eventType: compiled.spec.eventType };
  if (raw !== null && typeof raw === "object") compiled.map(raw as Raw, out);
  return out;
}

function partialDepth(
  compiled: CompiledEvent,
  raw: Raw,
  stream: string | undefined,
  context: Context,
): UnicornfyMessage {
  const spec = compiled.spec;
  const out: Raw = { streamType: stream ?? spec.fallbackStream, eventType: spec.eventType };
  if (stream !== undefined) {
    const at = stream.indexOf("@");
    out.symbol = (at < 0 ? stream : stream.slice(0, at)).toUpperCase();
    const level = depthLevelOf(stream);
    if (level !== false) out.depthLevel = level;
  }
  compiled.map(raw, out);
  out.unicornfied = context.tag;
  return out as unknown as UnicornfyMessage;
}

function streamTypeOf(spec: EventSpec, raw: Raw, stream: string | undefined): string {
  const rule = spec.streamRule;
  if (rule === STREAM) return stream ?? spec.fallbackStream;
  if (rule === FIXED) return spec.fallbackStream;
  const symbol = raw.s;
  return typeof symbol === "string"
    ? symbol.toLowerCase() + spec.fallbackStream
    : spec.fallbackStream.slice(1);
}

/** 5, 10 or 20 from `<s>@depth5`, `<s>@depth10@100ms` …; `false` for diff depth streams. */
function depthLevelOf(stream: string): 5 | 10 | 20 | false {
  const at = stream.indexOf("@depth");
  if (at < 0) return false;
  let level = 0;
  for (let i = at + 6; i < stream.length; i++) {
    const c = stream.charCodeAt(i);
    if (c < 48 || c > 57) break;
    level = level * 10 + c - 48;
  }
  return level === 5 || level === 10 || level === 20 ? level : false;
}

function reply(kind: "result" | "error", frame: Raw, context: Context): UnicornfyMessage {
  const out: Raw = { eventType: kind };
  for (const key in frame) out[key] = frame[key];
  out.unicornfied = context.tag;
  return out as unknown as UnicornfyMessage;
}

function controlError(frame: Raw, context: Context): UnicornfyMessage {
  const out: Raw = { eventType: "error", error: { code: frame.code, msg: frame.msg } };
  for (const key in frame) if (key !== "code" && key !== "msg") out[key] = frame[key];
  out.unicornfied = context.tag;
  return out as unknown as UnicornfyMessage;
}

function unknown(
  name: string,
  payload: unknown,
  stream: string | undefined,
  subscriptionId: unknown,
  context: Context,
): UnicornfyMessage {
  // A combined user-data stream is named by its listen key (no "@"): a secret, not a stream type.
  const streamType = stream !== undefined && stream.indexOf("@") >= 0 ? stream : null;
  const out: Raw = { eventType: name, streamType, payload };
  if (subscriptionId !== undefined) out.subscriptionId = subscriptionId;
  out.unicornfied = context.tag;
  return out as unknown as UnicornfyMessage;
}
