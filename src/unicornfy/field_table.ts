/**
 * The mapping tables' building blocks: a field table is plain data (raw Binance key → readable key)
 * that the normalizer walks on every frame and that `scripts/gen_unicornfy_docs.ts` renders into
 * `docs/unicornfy.md`. Keeping the mapping as data is what lets the docs be generated, not written.
 *
 * @module
 */

/**
 * How a field is copied: 0 as is (`out[key] = raw[rawKey]`), 1 into a nested object, 2 as a list of
 * objects, 3 hoisted (the fields of the object `raw[rawKey]` are written to `out` itself).
 * Plain numbers, not an enum: enums are not erasable syntax (Node's type stripping rejects them).
 */
export type FieldKind = 0 | 1 | 2 | 3;
/** {@link FieldKind}: plain copy. */
export const COPY = 0;
/** {@link FieldKind}: nested object. */
export const OBJECT = 1;
/** {@link FieldKind}: list of objects. */
export const LIST = 2;
/** {@link FieldKind}: hoisted object. */
export const FLATTEN = 3;

/** One row of a field table. All rows share one shape so the hot loop stays monomorphic. */
export interface FieldSpec {
  /** Kind of copy. */
  readonly kind: FieldKind;
  /** Readable (output) key; empty for {@link FLATTEN}. */
  readonly key: string;
  /** Raw Binance key in the source object. */
  readonly raw: string;
  /** Sub-table for objects, lists and flattened objects; empty for plain copies. */
  readonly fields: readonly FieldSpec[];
  /** Optional note for the generated docs (e.g. "fixes Python's ..."). */
  readonly note: string;
}

const NO_FIELDS: readonly FieldSpec[] = [];

/** A plain copy `key ← raw`. */
export function f(key: string, raw: string, note = ""): FieldSpec {
  return { kind: COPY, key, raw, fields: NO_FIELDS, note };
}

/** A nested object `key ← map(raw, fields)`. */
export function obj(key: string, raw: string, fields: readonly FieldSpec[], note = ""): FieldSpec {
  return { kind: OBJECT, key, raw, fields, note };
}

/** A list of objects `key ← raw[].map(fields)`. */
export function list(key: string, raw: string, fields: readonly FieldSpec[], note = ""): FieldSpec {
  return { kind: LIST, key, raw, fields, note };
}

/** The fields of the object at `raw`, written to the parent. */
export function flat(raw: string, fields: readonly FieldSpec[], note = ""): FieldSpec {
  return { kind: FLATTEN, key: "", raw, fields, note };
}

/**
 * How the `streamType` of an event is chosen: 0 the combined-stream name when there is one, else
 * {@link EventSpec.fallbackStream}; 1 always the fallback (user data: the envelope's `stream` would be
 * a listen key); 2 lower-cased symbol + fallback as suffix (Python's listStatus rule).
 */
export type StreamRule = 0 | 1 | 2;
/** {@link StreamRule}: stream name, else fallback. */
export const STREAM = 0;
/** {@link StreamRule}: always the fallback. */
export const FIXED = 1;
/** {@link StreamRule}: symbol + suffix. */
export const SYMBOL_SUFFIX = 2;

/** The normalization rule of one event type. */
export interface EventSpec {
  /** Binance event name (`e`), or the name UnicornFy gives to events without `e` (`depth`, `bookTicker`). */
  readonly eventType: string;
  /** How `streamType` is chosen. */
  readonly streamRule: StreamRule;
  /** Stream name used when the frame carries none (the Python constant), or the symbol suffix. */
  readonly fallbackStream: string;
  /** Output `{streamType, eventType, data: [item…]}` even for a single item (ticker family). */
  readonly wrap: boolean;
  /** Add `depthLevel` (5, 10, 20 from the stream name, else `false`): futures depth. */
  readonly depthLevel: boolean;
  /** Field table. */
  readonly fields: readonly FieldSpec[];
  /** One line for the docs. */
  readonly summary: string;
  /**
   * A raw key that must hold an object (not a list) or a string for this table to apply; a frame
   * without it passes through as an unknown event (another dialect of the same event name, such as
   * the older options shapes). Empty: none.
   */
  readonly requires: string;
}

/** Options of {@link event}. */
export interface EventOptions {
  /** How `streamType` is chosen (default {@link STREAM}). */
  readonly streamRule?: StreamRule;
  /** Fallback stream name or suffix (default: the event name). */
  readonly fallbackStream?: string;
  /** Wrap items in `data` (default false). */
  readonly wrap?: boolean;
  /** Add `depthLevel` (default false). */
  readonly depthLevel?: boolean;
  /** See {@link EventSpec.requires} (default none). */
  readonly requires?: string;
}

/** Builds an {@link EventSpec} with defaults (stream name, no wrapping, no depth level). */
export function event(
  eventType: string,
  summary: string,
  fields: readonly FieldSpec[],
  options: EventOptions = {},
): EventSpec {
  return {
    eventType,
    streamRule: options.streamRule ?? STREAM,
    fallbackStream: options.fallbackStream ?? eventType,
    wrap: options.wrap ?? false,
    depthLevel: options.depthLevel ?? false,
    fields,
    summary,
    requires: options.requires ?? "",
  };
}

/** A table of event specs, keyed by event name. */
export type EventTable = ReadonlyMap<string, EventSpec>;

/** Builds an {@link EventTable}; a later spec with the same name replaces an earlier one. */
export function table(...groups: readonly (readonly EventSpec[])[]): EventTable {
  const map = new Map<string, EventSpec>();
  for (const group of groups) for (const spec of group) map.set(spec.eventType, spec);
  return map;
}
