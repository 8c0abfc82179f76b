/**
 * Fault injection: named faults that the REST, stream and WebSocket-API layers consult.
 * Faults are injected at run time (`emu.inject(...)`) or scheduled in the options.
 *
 * @module
 */

import { refuseUnknownKeys } from "./option_keys.ts";
import { optionKeys } from "../../core/_options.ts";

/** Names of the injectable faults (see docs/emulator.md for what a client should observe). */
export type FaultName =
  | "drop"
  | "stall"
  | "depthGap"
  | "staleSnapshot"
  | "malformedFrame"
  | "rateLimit"
  | "ban"
  | "serverError"
  | "latency"
  | "clockSkew"
  | "listenKeyExpiry"
  | "rotation"
  | "partialFill"
  | "outage";

/** All fault names. */
export const FAULT_NAMES: readonly FaultName[] = [
  "drop",
  "stall",
  "depthGap",
  "staleSnapshot",
  "malformedFrame",
  "rateLimit",
  "ban",
  "serverError",
  "latency",
  "clockSkew",
  "listenKeyExpiry",
  "rotation",
  "partialFill",
  "outage",
];

/** Which part of the emulator a fault hits. */
export type FaultTarget = "spot" | "usdm" | "all";

/** A fault to inject. */
export interface Fault {
  /** The fault's name. */
  readonly name: FaultName;
  /** Venue hit by the fault (default "all"). */
  readonly target?: FaultTarget;
  /** Restricts depthGap / staleSnapshot / partialFill to one symbol (uppercase). */
  readonly symbol?: string;
  /**
   * How long the fault lasts (stall, latency, clockSkew, ban, outage; rotation: the grace period
   * before the close; others: until `count` is used up).
   */
  readonly durationMs?: number;
  /**
   * How many events it affects (depthGap, staleSnapshot, malformedFrame, rateLimit, serverError,
   * partialFill: executions; drop: connections).
   */
  readonly count?: number;
  /** Milliseconds: added latency, clock skew (may be negative). */
  readonly ms?: number;
  /** HTTP status for serverError: 500, 502, 503 or 504 (default 503). */
  readonly status?: number;
  /** listenKeyExpiry: only keys of this API key. */
  readonly apiKey?: string;
  /**
   * serverError: run the request first, then answer the 5xx (an order is placed or cancelled
   * although the client sees a failure: execution status unknown).
   */
  readonly afterExecution?: boolean;
}

/** The keys of a fault spec. */
export const FAULT_KEYS: readonly string[] = optionKeys<Fault>({
  name: true,
  target: true,
  symbol: true,
  durationMs: true,
  count: true,
  ms: true,
  status: true,
  apiKey: true,
  afterExecution: true,
}).list;

/** A scheduled fault: injected `at` ms after the emulator started. */
export interface ScheduledFault extends Fault {
  /** Delay after start in ms. */
  readonly at: number;
}

/** Handle of an injected fault. */
export interface FaultHandle {
  /** Ends the fault early. */
  clear(): void;
}

interface Active {
  readonly fault: Fault;
  readonly until: number;
  remaining: number;
  readonly data: unknown;
}

const COUNTED: ReadonlySet<FaultName> = new Set([
  "depthGap",
  "staleSnapshot",
  "malformedFrame",
  "rateLimit",
  "serverError",
  "drop",
  "partialFill",
]);

/**
 * Validates a fault object.
 *
 * @throws {TypeError} on an unknown name or wrong field types
 * @throws {RangeError} on out-of-range numbers
 */
export function validateFault(f: Fault, field = "fault"): void {
  if (f === null || typeof f !== "object") throw new TypeError(`Invalid ${field}: expected an object`);
  // scheduled faults also carry `at` (checked by the options)
  refuseUnknownKeys(f, field.startsWith("faults[") ? [...FAULT_KEYS, "at"] : FAULT_KEYS, field);
  if (!FAULT_NAMES.includes(f.name)) {
    throw new TypeError(`Invalid ${field}.name: expected one of ${FAULT_NAMES.join(", ")}`);
  }
  if (f.target !== undefined && f.target !== "spot" && f.target !== "usdm" && f.target !== "all") {
    throw new TypeError(`Invalid ${field}.target: expected "spot", "usdm" or "all"`);
  }
  for (const k of ["durationMs", "count"] as const) {
    const v = f[k];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      throw new RangeError(`Invalid ${field}.${k}: expected a positive integer`);
    }
  }
  if (f.ms !== undefined && (!Number.isFinite(f.ms) || Math.abs(f.ms) > 86_400_000)) {
    throw new RangeError(`Invalid ${field}.ms: expected a number within ±86400000`);
  }
  if (f.status !== undefined && ![500, 502, 503, 504].includes(f.status)) {
    throw new RangeError(`Invalid ${field}.status: expected 500, 502, 503 or 504`);
  }
  if (f.afterExecution !== undefined && typeof f.afterExecution !== "boolean") {
    throw new TypeError(`Invalid ${field}.afterExecution: expected a boolean`);
  }
  if (f.symbol !== undefined && typeof f.symbol !== "string") {
    throw new TypeError(`Invalid ${field}.symbol: expected a string`);
  }
}

/** The registry of active faults. */
export class FaultRegistry {
  #active: Active[] = [];
  readonly #clock: () => number;

  /** Creates a registry reading time from `clock` (real time, not the skewed server time). */
  constructor(clock: () => number) {
    this.#clock = clock;
  }

  /** Registers a fault (already validated); `data` carries fault-specific state (a stale book). */
  add(fault: Fault, data?: unknown): FaultHandle {
    const a: Active = {
      fault,
      until: fault.durationMs !== undefined ? this.#clock() + fault.durationMs : Infinity,
      remaining: COUNTED.has(fault.name) ? (fault.count ?? 1) : Infinity,
      data,
    };
    this.#active.push(a);
    return { clear: () => void (this.#active = this.#active.filter((x) => x !== a)) };
  }

  #matches(a: Active, name: FaultName, venue: "spot" | "usdm", symbol?: string): boolean {
    const f = a.fault;
    if (f.name !== name) return false;
    if (a.until <= this.#clock() || a.remaining <= 0) return false;
    if (f.target !== undefined && f.target !== "all" && f.target !== venue) return false;
    if (f.symbol !== undefined && symbol !== undefined && f.symbol !== symbol) return false;
    return true;
  }

  /** The first active fault of that name for the venue (duration faults; not consumed). */
  active(name: FaultName, venue: "spot" | "usdm", symbol?: string): Fault | undefined {
    this.#prune();
    return this.#active.find((a) => this.#matches(a, name, venue, symbol))?.fault;
  }

  /** Consumes one use of a counted fault; returns it with its data, or undefined. */
  take(
    name: FaultName,
    venue: "spot" | "usdm",
    symbol?: string,
  ): { fault: Fault; data: unknown } | undefined {
    this.#prune();
    const a = this.#active.find((x) => this.#matches(x, name, venue, symbol));
    if (!a) return undefined;
    a.remaining--;
    return { fault: a.fault, data: a.data };
  }

  /** Sum of the `ms` of active faults of a name (latency, clockSkew). */
  sumMs(name: "latency" | "clockSkew", venue: "spot" | "usdm"): number {
    this.#prune();
    let s = 0;
    for (const a of this.#active) if (this.#matches(a, name, venue)) s += a.fault.ms ?? 0;
    return s;
  }

  #prune(): void {
    const now = this.#clock();
    if (this.#active.some((a) => a.until <= now || a.remaining <= 0)) {
      this.#active = this.#active.filter((a) => a.until > now && a.remaining > 0);
    }
  }
}
