/**
 * Subscription planning: splitting stream names across connections under the venue's
 * per-connection limit (and, for USDⓈ-M, by routed category), building the connection URL, and
 * chunking `SUBSCRIBE` / `UNSUBSCRIBE` control messages.
 *
 * Pure functions, no I/O.
 *
 * @module
 */
import { streamCategory } from "../core/exchanges.ts";
import { checkOptions, showValue } from "../core/_options.ts";
import { PLAN_KEYS } from "./_option_keys.ts";

/** The USDⓈ-M routed path a stream belongs to (binance-api.md §6.4). */
export type FuturesCategory = "public" | "market" | "private";

/** One planned connection: the routed category (USDⓈ-M only) and the stream names it carries. */
export interface ConnectionPlan {
  /** `/public`, `/market` or `/private` on venues with futures routing; undefined elsewhere. */
  readonly category?: FuturesCategory;
  /** Stream names for this connection, at most the venue limit. */
  readonly names: readonly string[];
}

/** Options of {@link planConnections}. */
export interface PlanOptions {
  /** Streams one connection may carry (1024 spot, 200 futures). */
  readonly maxStreamsPerConnection: number;
  /** Group names by USDⓈ-M category (one category per connection). */
  readonly futuresRouting?: boolean;
  /** Refuse instead of splitting when the names need more than one connection. */
  readonly singleConnection?: boolean;
}

/**
 * Splits stream names into connections: grouped by category when `futuresRouting` is on, then
 * cut into runs of at most `maxStreamsPerConnection`.
 *
 * @param names Stream names (already de-duplicated).
 * @param options Limit, routing and the single-connection switch.
 * @returns One plan per connection; one empty plan when `names` is empty.
 * @throws {RangeError} When `singleConnection` is set and the names need more than one
 *   connection (over the limit, or several futures categories), or the limit is not a positive integer.
 */
export function planConnections(names: readonly string[], options: PlanOptions): ConnectionPlan[] {
  checkOptions(options, "planConnections options", PLAN_KEYS);
  const limit = options.maxStreamsPerConnection;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`Invalid maxStreamsPerConnection ${showValue(limit)}: expected a positive integer`);
  }
  const groups = new Map<FuturesCategory | undefined, string[]>();
  for (const name of names) {
    const key = options.futuresRouting ? streamCategory(name) : undefined;
    let list = groups.get(key);
    if (!list) groups.set(key, list = []);
    list.push(name);
  }
  if (groups.size === 0) return [{ names: [] }];
  const plans: ConnectionPlan[] = [];
  for (const [category, list] of groups) {
    for (let i = 0; i < list.length; i += limit) {
      const chunk = list.slice(i, i + limit);
      plans.push(category ? { category, names: chunk } : { names: chunk });
    }
  }
  if (options.singleConnection && plans.length > 1) {
    const why = groups.size > 1
      ? `they span the futures categories ${[...groups.keys()].join(", ")}`
      : `${names.length} streams exceed the limit of ${limit} per connection`;
    throw new RangeError(`Cannot place the streams on one connection: ${why}`);
  }
  return plans;
}

/** Most names the URL carries; the rest go out as paced `SUBSCRIBE` messages. */
export const URL_MAX_CHARS = 2000;

/**
 * Builds a combined-stream URL: `<base>[/<category>]/stream?streams=a/b/…`, with as many names
 * as fit in {@link URL_MAX_CHARS}. Binance rejected URLs over about 8 000 characters; names that do
 * not fit are returned for `SUBSCRIBE`.
 *
 * @param base Stream base origin, e.g. `wss://stream.binance.com:9443` (a trailing `/` is ignored).
 * @param plan Category and names.
 * @returns The URL and the names left for `SUBSCRIBE` messages.
 */
export function buildStreamUrl(
  base: string,
  plan: ConnectionPlan,
): { url: string; rest: string[] } {
  const root = base.replace(/\/+$/, "") + (plan.category ? `/${plan.category}` : "") + "/stream";
  const inUrl: string[] = [];
  let length = root.length + 9;
  let i = 0;
  for (; i < plan.names.length; i++) {
    const add = plan.names[i].length + 1;
    if (length + add > URL_MAX_CHARS) break;
    inUrl.push(plan.names[i]);
    length += add;
  }
  const url = inUrl.length ? `${root}?streams=${inUrl.join("/")}` : root;
  return { url, rest: plan.names.slice(i) };
}

/** A `SUBSCRIBE` / `UNSUBSCRIBE` / `LIST_SUBSCRIPTIONS` control message. */
export interface ControlMessage {
  /** The control method. */
  readonly method: "SUBSCRIBE" | "UNSUBSCRIBE" | "LIST_SUBSCRIPTIONS";
  /** Stream names. */
  readonly params?: readonly string[];
  /** Request id (echoed in the reply). */
  readonly id: number;
}

/** Most params in one control message (UBWA's cap: about 8 000 characters per frame lost the connection). */
export const MAX_PARAMS_PER_MESSAGE = 350;
/** Most characters of one serialized control message. */
export const MAX_MESSAGE_CHARS = 7000;

/**
 * Chunks names into control messages of at most {@link MAX_PARAMS_PER_MESSAGE} params and
 * {@link MAX_MESSAGE_CHARS} characters.
 *
 * @param method `SUBSCRIBE` or `UNSUBSCRIBE`.
 * @param names Stream names.
 * @param nextId Called once per message for its id.
 * @returns The messages, none for an empty list.
 */
export function chunkControlMessages(
  method: "SUBSCRIBE" | "UNSUBSCRIBE",
  names: readonly string[],
  nextId: () => number,
): ControlMessage[] {
  const out: ControlMessage[] = [];
  let params: string[] = [];
  let chars = 0;
  const flush = (): void => {
    if (params.length) out.push({ method, params, id: nextId() });
    params = [];
    chars = 0;
  };
  for (const name of names) {
    const add = name.length + 3;
    if (params.length >= MAX_PARAMS_PER_MESSAGE || chars + add > MAX_MESSAGE_CHARS - 60) flush();
    params.push(name);
    chars += add;
  }
  flush();
  return out;
}
