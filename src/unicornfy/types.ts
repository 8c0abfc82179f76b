/**
 * The union of everything `unicornfy` returns, discriminated on `eventType`, plus the control
 * kinds (subscription results, errors) and the pass-through kind for events this version does not
 * know.
 *
 * @module
 */
import type { UnicornfiedBase, UnicornfiedTag } from "./types_base.ts";
import type {
  AggTradeEvent,
  AvgPriceEvent,
  BlockTradeEvent,
  BookTickerEvent,
  DepthUpdateEvent,
  KlineEvent,
  MiniTickerEvent,
  PartialDepthEvent,
  ReferencePriceEvent,
  RollingWindowTickerEvent,
  ServerShutdownEvent,
  TickerEvent,
  TradeEvent,
} from "./types_spot.ts";
import type {
  BalanceUpdateEvent,
  EventStreamTerminatedEvent,
  ExecutionReportEvent,
  ExternalLockUpdateEvent,
  ListenKeyExpiredEvent,
  ListStatusEvent,
  OutboundAccountInfoEvent,
  OutboundAccountPositionEvent,
} from "./types_user_spot.ts";
import type {
  AccountConfigUpdateEvent,
  AccountUpdateEvent,
  AlgoOrderUpdateEvent,
  AssetIndexEvent,
  CompositeIndexEvent,
  ConditionalOrderTriggerRejectEvent,
  ContinuousKlineEvent,
  ContractInfoEvent,
  ForceOrderEvent,
  GridUpdateEvent,
  IndexPriceEvent,
  MarginCallEvent,
  MarkPriceEvent,
  OrderTradeUpdateEvent,
  PriceKlineEvent,
  StrategyUpdateEvent,
  TradeLiteEvent,
} from "./types_futures.ts";
import type {
  BalancePositionUpdateEvent,
  LiabilityChangeEvent,
  OpenOrderLossEvent,
  OptionsAccountUpdateEvent,
  OptionsOrderTradeUpdateEvent,
  OptionsRiskLevelChangeEvent,
  RiskLevelChangeEvent,
} from "./types_derivatives.ts";
import type { OptionIndexEvent, OptionMarkPriceEvent, OptionTradeEvent } from "./types_options.ts";

/**
 * A reply to a request: `{"result": null, "id": 1}` (SUBSCRIBE acknowledged), `LIST_SUBSCRIPTIONS`
 * results, `GET_PROPERTY` values, WebSocket API responses. Every key of the frame is kept.
 */
export interface SubscriptionResult {
  /** Discriminant. */
  readonly eventType: "result";
  /** `result` (null for a successful SUBSCRIBE/UNSUBSCRIBE). */
  readonly result: unknown;
  /** `id` of the request. */
  readonly id?: number | bigint | string | null;
  /** `status` (WebSocket API). */
  readonly status?: number;
  /** `rateLimits` (WebSocket API). */
  readonly rateLimits?: readonly unknown[];
  /** `[exchange, version]` */
  readonly unicornfied: UnicornfiedTag;
}

/**
 * An error reply: `{"error": {"code": 2, "msg": "…"}, "id": 1}`, WebSocket API errors, and stream
 * control errors sent as `{"code": 0, "msg": "Unknown property", "id": 1}` (then `error` is
 * `{code, msg}`). Every other key of the frame is kept.
 */
export interface ErrorMessage {
  /** Discriminant. */
  readonly eventType: "error";
  /** `error` as sent (an object `{code, msg}` or, rarely, a string). */
  readonly error: unknown;
  /** `id` of the request. */
  readonly id?: number | bigint | string | null;
  /** `status` (WebSocket API). */
  readonly status?: number;
  /** `[exchange, version]` */
  readonly unicornfied: UnicornfiedTag;
}

/**
 * An event this version has no table for (or a frame without an event name): returned, never
 * dropped, with the raw payload in `payload` (not copied).
 *
 * At run time `eventType` holds the raw event name (`""` when the frame has none). Its declared type
 * is `never` on purpose: TypeScript cannot express "any string except the known names", and a
 * `string` member would stop `switch (msg.eventType)` from narrowing the known events. In the
 * `default:` branch of such a switch the message is an `UnknownEvent`; read the name with
 * `String(msg.eventType)` or use {@link UnknownEvent.payload}.
 */
export interface UnknownEvent {
  /** The raw event name at run time (typed `never`, see above). */
  readonly eventType: never;
  /** The combined-stream name, or `null` (none, or a user-data stream named by its listen key). */
  readonly streamType: string | null;
  /** `subscriptionId` of a WS-API user-data envelope. */
  readonly subscriptionId?: number;
  /** The raw event payload (the `data` of a combined frame, the `event` of a WS-API envelope). */
  readonly payload: unknown;
  /** `[exchange, version]` */
  readonly unicornfied: UnicornfiedTag;
}

/** Every known event (spot family, futures, options market data and user data, portfolio-margin user data, shared). */
export type UnicornfyEvent =
  | AggTradeEvent
  | TradeEvent
  | BlockTradeEvent
  | KlineEvent
  | ContinuousKlineEvent
  | PriceKlineEvent
  | MiniTickerEvent
  | TickerEvent
  | RollingWindowTickerEvent
  | BookTickerEvent
  | PartialDepthEvent
  | DepthUpdateEvent
  | AvgPriceEvent
  | ReferencePriceEvent
  | ServerShutdownEvent
  | OutboundAccountPositionEvent
  | OutboundAccountInfoEvent
  | BalanceUpdateEvent
  | ExecutionReportEvent
  | ListStatusEvent
  | ListenKeyExpiredEvent
  | EventStreamTerminatedEvent
  | ExternalLockUpdateEvent
  | MarkPriceEvent
  | IndexPriceEvent
  | ForceOrderEvent
  | CompositeIndexEvent
  | ContractInfoEvent
  | AssetIndexEvent
  | OrderTradeUpdateEvent
  | AccountUpdateEvent
  | MarginCallEvent
  | AccountConfigUpdateEvent
  | TradeLiteEvent
  | StrategyUpdateEvent
  | GridUpdateEvent
  | ConditionalOrderTriggerRejectEvent
  | AlgoOrderUpdateEvent
  | BalancePositionUpdateEvent
  | OptionsOrderTradeUpdateEvent
  | OptionsAccountUpdateEvent
  | OptionsRiskLevelChangeEvent
  | RiskLevelChangeEvent
  | LiabilityChangeEvent
  | OpenOrderLossEvent
  | OptionTradeEvent
  | OptionMarkPriceEvent
  | OptionIndexEvent;

/** What `unicornfy` returns: `switch (msg.eventType)` narrows to one interface per event. */
export type UnicornfyMessage = UnicornfyEvent | SubscriptionResult | ErrorMessage | UnknownEvent;

/** The known `eventType` names. */
export type UnicornfyEventType = UnicornfyEvent["eventType"];

export type { UnicornfiedBase, UnicornfiedTag };
