/**
 * Request-weight accounting per venue (the emulator serves one client address): a calendar
 * aligned 1-minute window, 429 with `Retry-After` past the limit, 418 and a ban when the client
 * keeps going.
 *
 * @module
 */
import { ApiError } from "./api_error.ts";

/** Weight-limit settings. */
export interface WeightSettings {
  /** REQUEST_WEIGHT per minute (spot 6000, USD-M 2400). */
  readonly limit: number;
  /** Requests answered 429 in one window before the address is banned (418). */
  readonly banAfter: number;
  /** First ban duration in ms; each further ban doubles it (Binance: 2 minutes up to 3 days). */
  readonly banMs: number;
}

/** Weight counter of one venue. */
export class WeightCounter {
  readonly settings: WeightSettings;
  #window = 0;
  #used = 0;
  #rejected = 0;
  #bannedUntil = 0;
  #bans = 0;

  /** Creates a counter. */
  constructor(settings: WeightSettings) {
    this.settings = settings;
  }

  #roll(now: number): void {
    const w = Math.floor(now / 60_000);
    if (w !== this.#window) {
      this.#window = w;
      this.#used = 0;
      this.#rejected = 0;
    }
  }

  /** Weight used in the current minute. */
  used(now: number): number {
    this.#roll(now);
    return this.#used;
  }

  /**
   * Charges `weight` or throws the 429/418 failure.
   *
   * @throws {ApiError} 429 (-1003) past the limit, 418 (-1003) while banned
   */
  charge(weight: number, now: number): void {
    this.#roll(now);
    if (now < this.#bannedUntil) throw this.#banError(now);
    if (this.#used + weight > this.settings.limit) {
      this.#rejected++;
      if (this.#rejected > this.settings.banAfter) {
        this.#bannedUntil = now + Math.min(this.settings.banMs * 2 ** this.#bans, 3 * 86_400_000);
        this.#bans++;
        throw this.#banError(now);
      }
      throw this.rateLimitError(now);
    }
    this.#used += weight;
  }

  /** Adds weight without checking (failed orders are charged after the fact). */
  add(weight: number, now: number): void {
    this.#roll(now);
    this.#used += weight;
  }

  /** The 429 failure for the current window. */
  rateLimitError(now: number): ApiError {
    const retry = Math.max(1, Math.ceil(((this.#window + 1) * 60_000 - now) / 1000));
    return new ApiError(
      -1003,
      `Too much request weight used; current limit is ${this.settings.limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
      429,
      { "Retry-After": String(retry) },
      { retryAfter: (this.#window + 1) * 60_000 },
    );
  }

  #banError(now: number): ApiError {
    return banError(this.#bannedUntil, now);
  }
}

/** The 418 failure of an address banned until `until`. */
export function banError(until: number, now: number): ApiError {
  return new ApiError(
    -1003,
    `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`,
    418,
    { "Retry-After": String(Math.max(1, Math.ceil((until - now) / 1000))) },
    { retryAfter: until },
  );
}
