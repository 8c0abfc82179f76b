/**
 * Option and description types of the WebSocket manager.
 *
 * @module
 */
import type { ConnectAttemptBudget } from "./attempt_budget.ts";
import type { ConnectionTimings, WebSocketConstructor } from "./connection.ts";
import type { OverflowPolicy } from "./queue.ts";
import type { StreamSignal, StreamSignalType } from "./signals.ts";
import type { UnicornfyMessage } from "../unicornfy/types.ts";
import type {
  OutputData,
  OutputMode,
  StreamDataCallback,
  StreamMessage,
  StreamStatistics,
} from "./_stream_record.ts";

/**
 * Options of `BinanceWebSocketManager` except the UnicornFy normaliser (what the depth-cache
 * manager's `wsOptions` takes); `D` is the output form of streams that do not choose one.
 */
export interface WebSocketManagerBaseOptions<D extends OutputMode = OutputMode> extends ConnectionTimings {
  /** Exchange string (`"binance.com"`, `"binance.com-futures"`, …). Default `"binance.com"`. */
  readonly exchange?: string;
  /** Default API key (user data, WebSocket API). */
  readonly apiKey?: string;
  /** Default API secret or private key (HMAC secret, RSA or Ed25519 PKCS#8 PEM). */
  readonly apiSecret?: string;
  /** Output of streams that do not choose one. Default `"raw"`. */
  readonly outputDefault?: D;
  /** Global data callback (streams without their own `onData`). */
  readonly onStreamData?: StreamDataCallback;
  /** Signal callback. */
  readonly onStreamSignal?: (signal: StreamSignal) => void;
  /** WebSocket constructor. Default `globalThis.WebSocket`. */
  readonly WebSocket?: WebSocketConstructor;
  /** Override of the market-stream base (e.g. the emulator's `wsUrl`). */
  readonly streamBase?: string;
  /** Override of the per-connection stream limit. */
  readonly maxStreamsPerConnection?: number;
  /** Override of the control messages per second and connection (one below Binance's limit by default). */
  readonly messagesPerSecond?: number;
  /** Capacity of every buffer, iterator and callback queue. Default 10 000. */
  readonly bufferCapacity?: number;
  /** Overflow policy of buffers and iterators. Default `"dropOldest"`. */
  readonly bufferOverflow?: OverflowPolicy;
  /** Stop a stream when its consumer throws. Default false (signal and keep going). */
  readonly stopOnConsumerError?: boolean;
  /** Override of the spot WebSocket-API URL (e.g. the emulator's `wsApiUrl`). */
  readonly wsApiUrl?: string;
  /** Override of the USDⓈ-M WebSocket-API URL (e.g. the emulator's `futuresWsApiUrl`). */
  readonly futuresWsApiUrl?: string;
  /** Override of the REST origin for listenKey / listenToken calls (e.g. the emulator's `restUrl`). */
  readonly restUrl?: string;
  /** Default timeout of WebSocket-API requests. Default 10 000 ms. */
  readonly requestTimeoutMs?: number;
  /** listenKey keep-alive interval. Default 30 min (keys live 60 min). */
  readonly listenKeyKeepaliveMs?: number;
  /** `fetch` for listenKey / listenToken calls. Default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /**
   * Connection attempts of all the manager's connections (Binance: 300 per 5 minutes per IP).
   * Default a budget of 250 per 5 minutes of its own; pass one budget to several managers on the
   * same IP, or `false` for none.
   */
  readonly connectAttemptBudget?: ConnectAttemptBudget | false;
}

/**
 * Options of `BinanceWebSocketManager`; `D` is the output form of streams that do not choose one
 * (inferred from `outputDefault`).
 */
export interface BinanceWebSocketManagerOptions<D extends OutputMode = OutputMode>
  extends WebSocketManagerBaseOptions<D> {
  /**
   * Replaces the built-in UnicornFy normaliser for output `"unicornfy"`: gets the parsed frame and
   * returns what `"unicornfy"` streams deliver.
   */
  readonly unicornfy?: (frame: unknown, options: { exchange: string }) => UnicornfyMessage;
}

/** Options of `BinanceWebSocketManager.createApiStream`; `O` is the output form. */
export interface ApiStreamOptions<O extends OutputMode = OutputMode>
  extends Omit<CreateStreamOptions<O>, "singleConnection"> {
  /** `"spot"` (ws-api/v3) or `"futures"` (ws-fapi/v1). Default: the venue's. */
  readonly market?: "spot" | "futures";
  /** API key of this connection (default: the manager's). */
  readonly apiKey?: string;
  /** HMAC secret or PEM private key of this connection (default: the manager's). */
  readonly apiSecret?: string;
  /** `session.logon` (Ed25519 keys only). Default: true for Ed25519 keys. */
  readonly logon?: boolean;
  /** Hand every response to the stream's consumers too. Default false (the promise gets it). */
  readonly deliverResponses?: boolean;
}

/** Options of `BinanceWebSocketManager.createUserDataStream`; `O` is the output form. */
export interface UserDataStreamOptions<O extends OutputMode = OutputMode>
  extends Omit<CreateStreamOptions<O>, "singleConnection"> {
  /** API key of the account (default: the manager's). */
  readonly apiKey?: string;
  /** HMAC secret or PEM private key of the account (default: the manager's). */
  readonly apiSecret?: string;
  /** USDⓈ-M event filter (default: every event). */
  readonly events?: readonly string[];
  /** Spot: subscribe after `session.logon` (Ed25519 keys) instead of `subscribe.signature`. */
  readonly logon?: boolean;
  /** Isolated margin: the symbol of the listenToken. */
  readonly isolatedSymbol?: string;
  /** Margin: requested listenToken validity in ms (Binance: at most 24 h); renewed after a quarter of it. */
  readonly listenTokenValidityMs?: number;
}

/**
 * Options of `BinanceWebSocketManager.createStream`; `O` is the output form (inferred from
 * `output`), which types the data of `onData` and of `manager.stream(id)`.
 */
export interface CreateStreamOptions<O extends OutputMode = OutputMode> {
  /** Free label (see `getStreamIdByLabel`). */
  readonly label?: string;
  /** Output form. Default: the manager's `outputDefault`. */
  readonly output?: O;
  /** Put this stream's frames into the named buffer. */
  readonly bufferName?: string;
  /** Data callback for this stream (overrides the manager's); a returned promise is awaited first. */
  onData?(message: StreamMessage<OutputData[O]>): void | Promise<void>;
  /** Aborting stops the stream. */
  readonly signal?: AbortSignal;
  /** Refuse instead of splitting across connections. */
  readonly singleConnection?: boolean;
  /** Stop this stream when its consumer throws. Default: the manager's setting. */
  readonly stopOnConsumerError?: boolean;
}

/** Per-connection view in {@link StreamInfo}. */
export interface ConnectionInfo {
  /** Position among the stream's connections (the `connection` of its signals). */
  readonly index: number;
  /** USDⓈ-M route: `public`, `market` or `private`. */
  readonly category?: string;
  /** `connecting`, `open`, `waiting` (backoff), `stopped`, `failed`. */
  readonly state: string;
  /** Stream names it carries. */
  readonly streams: number;
  /** Reconnects so far. */
  readonly reconnects: number;
  /** Completed rotations. */
  readonly rotations: number;
}

/** What `BinanceWebSocketManager.getStreamInfo` returns. */
export interface StreamInfo {
  /** Stream id. */
  readonly streamId: string;
  /** Label, if any. */
  readonly label?: string;
  /** `market`, `userData` or `api`. */
  readonly kind: string;
  /** `running`, `stopped`, or `crashed` (after `STREAM_UNREPAIRABLE`). */
  readonly status: "running" | "stopped" | "crashed";
  /** Subscribed channels. */
  readonly channels: readonly string[];
  /** Subscribed markets (normalised). */
  readonly markets: readonly string[];
  /** Binance stream names over all connections. */
  readonly streams: readonly string[];
  /** Output form. */
  readonly output: OutputMode;
  /** Named buffer, if any. */
  readonly bufferName?: string;
  /** Epoch ms of creation. */
  readonly startedAt: number;
  /** The last signal raised. */
  readonly lastSignal?: StreamSignalType;
  /** Its connections. */
  readonly connections: readonly ConnectionInfo[];
  /** Its statistics. */
  readonly statistics: StreamStatistics;
}
