/**
 * The cluster's log sink: one function the roles call with a level, a message and plain fields.
 * The roles pass ids, markets, states and counts — never an API key, secret, token or signature —
 * and the tests scan everything logged for planted secrets.
 *
 * @example Collect lines in memory
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { memoryLog } from "./log.ts";
 * const { log, lines } = memoryLog();
 * log("info", "node started", { node: "n1" });
 * assertEquals(lines[0], 'info node started {"node":"n1"}');
 * ```
 *
 * @module
 */

/** Log levels. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** A log sink. */
export type ClusterLog = (
  level: LogLevel,
  message: string,
  fields?: Readonly<Record<string, unknown>>,
) => void;

/** A sink that drops everything. */
export const silentLog: ClusterLog = () => {};

/**
 * A sink that keeps formatted lines in an array (tests, the embedded cluster's `logs`).
 *
 * @returns The sink and its lines.
 */
export function memoryLog(): { log: ClusterLog; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (level, message, fields) => lines.push(formatLogLine(level, message, fields)) };
}

/**
 * One log line: `level message {fields as JSON}`.
 *
 * @param level Level.
 * @param message Message.
 * @param fields Fields.
 * @returns The line.
 */
export function formatLogLine(
  level: LogLevel,
  message: string,
  fields?: Readonly<Record<string, unknown>>,
): string {
  return fields && Object.keys(fields).length > 0
    ? `${level} ${message} ${JSON.stringify(fields)}`
    : `${level} ${message}`;
}
