/**
 * The keys of the WebSocket manager's options objects, for the unknown-key check of
 * `core/_options.ts` (the compiler keeps each list equal to its interface). Internal.
 *
 * @module
 */
import { type OptionKeys, optionKeys } from "../core/_options.ts";
import type { ConnectionTimings } from "./connection.ts";
import type { ApiCallOptions } from "./api_methods.ts";
import type { BoundedQueueOptions } from "./queue.ts";
import type { PlanOptions } from "./subscriptions.ts";
import type {
  ApiStreamOptions,
  BinanceWebSocketManagerOptions,
  CreateStreamOptions,
  UserDataStreamOptions,
} from "./types.ts";

const TIMINGS: { readonly [K in keyof Required<ConnectionTimings>]: true } = {
  backoffBaseMs: true,
  backoffMaxMs: true,
  rateLimitBackoffMs: true,
  banBackoffMs: true,
  connectTimeoutMs: true,
  stallTimeoutMs: true,
  heartbeatIntervalMs: true,
  heartbeatTimeoutMs: true,
  rotateAfterMs: true,
  rotationOverlapMaxMs: true,
};

/** `BinanceWebSocketManagerOptions`. */
export const MANAGER_KEYS: OptionKeys = optionKeys<BinanceWebSocketManagerOptions>({
  ...TIMINGS,
  exchange: true,
  apiKey: true,
  apiSecret: true,
  outputDefault: true,
  onStreamData: true,
  onStreamSignal: true,
  WebSocket: true,
  streamBase: true,
  maxStreamsPerConnection: true,
  messagesPerSecond: true,
  bufferCapacity: true,
  bufferOverflow: true,
  stopOnConsumerError: true,
  unicornfy: true,
  wsApiUrl: true,
  futuresWsApiUrl: true,
  restUrl: true,
  requestTimeoutMs: true,
  listenKeyKeepaliveMs: true,
  fetch: true,
  connectAttemptBudget: true,
});

const STREAM: { readonly [K in keyof Required<CreateStreamOptions>]: true } = {
  label: true,
  output: true,
  bufferName: true,
  onData: true,
  signal: true,
  singleConnection: true,
  stopOnConsumerError: true,
};

/** `CreateStreamOptions`. */
export const STREAM_KEYS: OptionKeys = optionKeys<CreateStreamOptions>(STREAM);

/** `replaceStream` options: `CreateStreamOptions` plus `timeoutMs`. */
export const REPLACE_KEYS: OptionKeys = optionKeys<CreateStreamOptions & { timeoutMs?: number }>({
  ...STREAM,
  timeoutMs: true,
});

const { singleConnection: _single, ...SHARED } = STREAM;

/** `ApiStreamOptions`. */
export const API_STREAM_KEYS: OptionKeys = optionKeys<ApiStreamOptions>({
  ...SHARED,
  market: true,
  apiKey: true,
  apiSecret: true,
  logon: true,
  deliverResponses: true,
});

/** `UserDataStreamOptions`. */
export const USER_DATA_KEYS: OptionKeys = optionKeys<UserDataStreamOptions>({
  ...SHARED,
  apiKey: true,
  apiSecret: true,
  events: true,
  logon: true,
  isolatedSymbol: true,
  listenTokenValidityMs: true,
});

/** `ApiCallOptions`. */
export const API_CALL_KEYS: OptionKeys = optionKeys<ApiCallOptions>({
  timeoutMs: true,
  onResponse: true,
  deliver: true,
  requestId: true,
  streamId: true,
  label: true,
});

/** `BoundedQueueOptions` (also `stream(id, options)`). */
export const QUEUE_KEYS: OptionKeys = optionKeys<BoundedQueueOptions>({ capacity: true, overflow: true });

/** `PlanOptions`. */
export const PLAN_KEYS: OptionKeys = optionKeys<PlanOptions>({
  maxStreamsPerConnection: true,
  futuresRouting: true,
  singleConnection: true,
});

/** `subscribe` / `unsubscribe` changes. */
export const CHANGE_KEYS: OptionKeys = optionKeys<
  { channels?: readonly string[]; markets?: readonly string[] }
>({
  channels: true,
  markets: true,
});

/** `getStreamSubscriptions` options. */
export const LIST_KEYS: OptionKeys = optionKeys<{ timeoutMs?: number }>({ timeoutMs: true });
