/**
 * The version written into every output's `unicornfied: [exchange, version]` tag.
 *
 * @module
 */

/** Library version (kept equal to `deno.json` "version"; a test checks it). */
export const UNICORNFY_VERSION: string = "0.1.0";
