/**
 * Wire helpers of the WebSocket-API session: request parameters as sent and error responses as
 * errors. Internal.
 *
 * @module
 */
import { BinanceApiError, IpBannedError, RateLimitError } from "../core/errors.ts";
import { formatNumber, type Params } from "../rest/_format.ts";
import type { WsApiResponse } from "./api_types.ts";

/** Drops null/undefined and writes fractional numbers as plain decimals (never `1e-7`), so the
 * JSON carries exactly the text that is signed. */
export function wireParams(params: Params): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    out[k] = typeof v === "number" && !Number.isInteger(v) ? formatNumber(v) : v;
  }
  return out;
}

export function toApiError(method: string, res: WsApiResponse): BinanceApiError {
  const code = typeof res.error?.code === "number" ? res.error.code : 0;
  const message = `Binance rejected the ${method} request: ${code ? `${code} ` : ""}${
    res.error?.msg ?? "no message"
  }`;
  const data = res.error?.data as { retryAfter?: number } | undefined;
  const endpoint = `WS ${method}`;
  if (res.status === 418) {
    return new IpBannedError(message, {
      code,
      status: 418,
      endpoint,
      until: data?.retryAfter ?? Date.now() + 120_000,
    });
  }
  if (res.status === 429) {
    const retryAfter = Math.max(0, (data?.retryAfter ?? Date.now()) - Date.now());
    return new RateLimitError(message, { code, status: 429, endpoint, retryAfter });
  }
  const raw = res.error?.data;
  return new BinanceApiError(message, {
    code,
    status: res.status,
    endpoint,
    ...(raw === undefined ? {} : { data: raw }),
  });
}
