/**
 * Small constructors for endpoint descriptions.
 *
 * @module
 */
import type { RestFamily } from "../core/exchanges.ts";
import type { EndpointSpec, HttpMethod, Security } from "./client_core.ts";

/**
 * Describes an endpoint.
 *
 * @param method HTTP method.
 * @param family API family.
 * @param path Path with version prefix.
 * @param security Security type (default public).
 * @param weight Request weight (default 1).
 * @returns The frozen description.
 */
export function ep(
  method: HttpMethod,
  family: RestFamily,
  path: string,
  security: Security = "NONE",
  weight = 1,
): EndpointSpec {
  return Object.freeze({ method, family, path, security, weight });
}

/**
 * Describes an order-placing endpoint (signed, never retried blindly).
 *
 * @param family API family.
 * @param path Path with version prefix.
 * @param idField The client-id parameter the client fills when absent.
 * @param method HTTP method (default POST).
 * @returns The frozen description.
 */
export function orderEp(
  family: RestFamily,
  path: string,
  idField: "newClientOrderId" | "listClientOrderId" | "clientAlgoId" | "clientOrderId" = "newClientOrderId",
  method: HttpMethod = "POST",
): EndpointSpec {
  return Object.freeze({ method, family, path, security: "SIGNED", weight: 1, placesOrder: idField });
}

/** Spot depth weight by limit (since 2023-10-19): ≤100: 5, ≤500: 25, ≤1000: 50, else 250. */
export function spotDepthWeight(limit = 100): number {
  return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
}

/** USDⓈ-M/COIN-M depth weight by limit: ≤50: 2, 100: 5, 500: 10, 1000: 20. */
export function futuresDepthWeight(limit = 500): number {
  return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
}
