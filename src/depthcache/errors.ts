/**
 * Errors of the local depth cache, with the Python suite's names (UBLDC `DepthCacheOutOfSync`,
 * `DepthCacheNotFound`, `DepthCacheAlreadyStopped`) and a `market` field. All extend
 * `BinanceError`, so one `instanceof BinanceError` catches every library failure.
 *
 * @example
 * ```ts
 * import { DepthCacheOutOfSyncError } from "./errors.ts";
 * import { BinanceError } from "../core/errors.ts";
 * import { assert, assertEquals } from "@std/assert";
 *
 * const err = new DepthCacheOutOfSyncError("BTCUSDT", "RESYNCING");
 * assert(err instanceof BinanceError);
 * assertEquals(err.market, "BTCUSDT");
 * assertEquals(err.message, "Cannot read depth cache BTCUSDT: it is RESYNCING, not LIVE");
 * ```
 *
 * @module
 */
import { BinanceError } from "../core/errors.ts";

/** Base class of the depth-cache errors; carries the market. */
export class DepthCacheError extends BinanceError {
  /** The market (symbol, uppercase) the error concerns. */
  readonly market: string;

  /**
   * Creates the error.
   *
   * @param market The market.
   * @param message What failed and why.
   * @param options `cause`: the underlying error.
   */
  constructor(market: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DepthCacheError";
    this.market = market;
  }
}

/**
 * A read of a cache whose book cannot be vouched for right now (initial sync, resync after a gap,
 * a crossed book, a lost connection or a malformed frame). Retry later or watch the state events.
 */
export class DepthCacheOutOfSyncError extends DepthCacheError {
  /** The state of the cache when the read was refused. */
  readonly state: string;

  /**
   * Creates the error.
   *
   * @param market The market.
   * @param state The cache's state (`"SYNCING"`, `"RESYNCING"`).
   */
  constructor(market: string, state: string) {
    super(market, `Cannot read depth cache ${market}: it is ${state}, not LIVE`);
    this.name = "DepthCacheOutOfSyncError";
    this.state = state;
  }
}

/** The market has no depth cache in this manager. */
export class DepthCacheNotFoundError extends DepthCacheError {
  /**
   * Creates the error.
   *
   * @param market The market asked for.
   */
  constructor(market: string) {
    super(market, `Cannot find depth cache ${market}: it was never created in this manager`);
    this.name = "DepthCacheNotFoundError";
  }
}

/** The cache (or its manager) was stopped; create it again to read it. */
export class DepthCacheAlreadyStoppedError extends DepthCacheError {
  /**
   * Creates the error.
   *
   * @param market The market.
   */
  constructor(market: string) {
    super(market, `Cannot use depth cache ${market}: it was stopped`);
    this.name = "DepthCacheAlreadyStoppedError";
  }
}

/**
 * The cache stopped on its own because Binance does not know the symbol (the snapshot was
 * answered with -1121). A {@link DepthCacheAlreadyStoppedError}, so code that handles stopped
 * caches handles this one too; `reason` says why.
 */
export class DepthCacheInvalidSymbolError extends DepthCacheAlreadyStoppedError {
  /** Why the cache stopped (the Binance error). */
  readonly reason: string;

  /**
   * Creates the error.
   *
   * @param market The market.
   * @param reason Why the cache stopped, e.g. `"invalid symbol: Binance rejected GET /api/v3/depth: Invalid symbol. (code -1121)"`.
   */
  constructor(market: string, reason: string) {
    super(market);
    this.name = "DepthCacheInvalidSymbolError";
    this.message = `Cannot read depth cache ${market}: Binance does not know the symbol, the cache stopped (${
      reason.replace(/^invalid symbol: /, "")
    })`;
    this.reason = reason;
  }
}
