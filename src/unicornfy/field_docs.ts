/**
 * Renders the field tables (raw Binance key → readable key, per event) as Markdown. This is what
 * `docs/unicornfy.md` shows (written by `scripts/gen_unicornfy_docs.ts`; a test fails when the docs
 * are stale). The normalizer itself never imports it.
 *
 * @module
 */
import { COPY, type EventSpec, FIXED, FLATTEN, LIST, OBJECT, STREAM } from "./field_table.ts";
import { FUTURES_MARKET_EVENTS, FUTURES_USER_EVENTS } from "./futures.ts";
import { OPTIONS_MARKET_EVENTS } from "./options.ts";
import { SPOT_MARKET_EVENTS, SPOT_USER_EVENTS } from "./spot.ts";
import { OPTIONS_USER_EVENTS, PORTFOLIO_MARGIN_USER_EVENTS } from "./derivatives.ts";
import type { FieldSpec } from "./field_table.ts";

type Row = readonly [raw: string, readable: string, note: string];

function code(s: string): string {
  return "`" + s + "`";
}

function rows(fields: readonly FieldSpec[], rawPrefix: string, outPrefix: string, out: Row[]): void {
  for (const field of fields) {
    const raw = rawPrefix + field.raw;
    if (field.kind === COPY) {
      out.push([code(raw), code(outPrefix + field.key), field.note]);
    } else if (field.kind === OBJECT) {
      if (field.note !== "") out.push([code(raw), code(outPrefix + field.key), field.note]);
      rows(field.fields, raw + ".", outPrefix + field.key + ".", out);
    } else if (field.kind === LIST) {
      if (field.note !== "") out.push([code(raw + "[]"), code(outPrefix + field.key + "[]"), field.note]);
      rows(field.fields, raw + "[].", outPrefix + field.key + "[].", out);
    } else if (field.kind === FLATTEN) {
      rows(field.fields, raw + ".", outPrefix, out);
    }
  }
}

function streamRow(spec: EventSpec, itemPrefix: string): Row {
  if (spec.streamRule === STREAM) {
    return [
      "`stream` of a combined frame",
      code(itemPrefix + "streamType"),
      `else ${code(spec.fallbackStream)}`,
    ];
  }
  if (spec.streamRule === FIXED) {
    return ["(constant)", code(itemPrefix + "streamType"), code(spec.fallbackStream)];
  }
  return ["`s`", code(itemPrefix + "streamType"), `lower-cased symbol + ${code(spec.fallbackStream)}`];
}

function eventTable(spec: EventSpec): string {
  const out: Row[] = [];
  const prefix = spec.wrap ? "data[]." : "";
  if (spec.wrap) {
    out.push(["`stream` of a combined frame", code("streamType"), `else ${code(spec.fallbackStream)}`]);
    out.push(["(event name)", code("eventType"), code(spec.eventType)]);
  }
  out.push(streamRow(spec, prefix));
  out.push([
    spec.eventType === "depth" || spec.eventType === "bookTicker" ? "`e` or stream name / shape" : "`e`",
    code(prefix + "eventType"),
    code(spec.eventType),
  ]);
  if (spec.eventType === "depth") {
    out.push(["stream name before `@`", code("symbol"), "upper-cased (absent on raw frames)"]);
    out.push(["stream name `@depth<N>`", code("depthLevel"), "5, 10 or 20 (Python leaves it out on spot)"]);
  }
  rows(spec.fields, "", prefix, out);
  if (spec.depthLevel) out.push(["stream name `@depth<N>`", code("depthLevel"), "5, 10, 20, else `false`"]);
  out.push(["`subscriptionId` of a WS-API envelope", code("subscriptionId"), "when present"]);
  out.push(["(exchange, version)", code("unicornfied"), ""]);
  const lines = [
    `#### ${code(spec.eventType)}: ${spec.summary}`,
    "",
    "| Raw | Readable | Note |",
    "|---|---|---|",
    ...out.map(([raw, readable, note]) => `| ${raw} | ${readable} | ${note.replaceAll("|", "\\|")} |`),
    "",
  ];
  return lines.join("\n");
}

/**
 * The field tables as Markdown: one table per event (raw key → readable key, with notes where the
 * mapping differs from Python's unicorn-fy), grouped by venue family and market/user data.
 *
 * @returns The Markdown text.
 */
export function renderFieldTables(): string {
  const groups: readonly (readonly [string, readonly EventSpec[]])[] = [
    ["Spot family: market data", SPOT_MARKET_EVENTS],
    ["Spot family: user data", SPOT_USER_EVENTS],
    ["USD-M / COIN-M futures: market data", FUTURES_MARKET_EVENTS],
    ["USD-M / COIN-M futures: user data (also portfolio margin)", FUTURES_USER_EVENTS],
    ["Portfolio margin: its own user data", PORTFOLIO_MARGIN_USER_EVENTS],
    ["Options: user data", OPTIONS_USER_EVENTS],
    ["European options: market data", OPTIONS_MARKET_EVENTS],
  ];
  const parts: string[] = [];
  for (const [title, specs] of groups) {
    parts.push(`### ${title}`, "");
    for (const spec of specs) parts.push(eventTable(spec));
  }
  return parts.join("\n");
}
