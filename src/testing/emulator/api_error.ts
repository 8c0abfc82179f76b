/**
 * Binance-style request failures (`{"code": …, "msg": …}`) thrown inside request handlers and
 * turned into responses at the edge.
 *
 * @module
 */

/** A request failure carrying Binance's error code and the HTTP status. */
export class ApiError extends Error {
  readonly code: number;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly data?: Readonly<Record<string, unknown>>;

  /** Creates a failure; `status` defaults to 400. */
  constructor(
    code: number,
    msg: string,
    status = 400,
    headers: Record<string, string> = {},
    data?: Record<string, unknown>,
  ) {
    super(msg);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.headers = headers;
    this.data = data;
  }
}

/** -1102: a mandatory parameter is missing. */
export function missingParam(name: string): ApiError {
  return new ApiError(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
}

/** -1121: unknown symbol. */
export function badSymbol(): ApiError {
  return new ApiError(-1121, "Invalid symbol.");
}

/** -1100: illegal characters in a parameter. */
export function illegalChars(name: string, pattern: string): ApiError {
  return new ApiError(-1100, `Illegal characters found in parameter '${name}'; legal range is '${pattern}'.`);
}

/** Reads an optional unsigned integer parameter (`-1100` when malformed). */
export function intParam(params: URLSearchParams, name: string): number | undefined {
  const v = params.get(name);
  if (v === null || v === "") return undefined;
  if (!/^[0-9]{1,20}$/.test(v)) throw illegalChars(name, "^[0-9]{1,20}$");
  return Number(v);
}
