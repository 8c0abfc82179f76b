/**
 * Refuses unknown keys in the emulator's option objects, naming the key and, for a near miss,
 * the known key that was probably meant (the library's own rule, `src/core/_options.ts`). Pure.
 *
 * @module
 */
import { closestKey } from "../../core/_options.ts";

/**
 * Throws when `obj` has a key that is not in `known`.
 *
 * @param field the object's path in the options (`""` for the top level)
 * @throws {TypeError} `Invalid <field>.<key>: unknown option (did you mean "<k>"?)`
 */
export function refuseUnknownKeys(obj: object, known: readonly string[], field: string): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const near = closestKey(key, known);
    const path = field === "" ? key : `${field}.${key}`;
    throw new TypeError(
      `Invalid ${path}: unknown option${
        near === undefined ? `; expected one of ${known.join(", ")}` : ` (did you mean "${near}"?)`
      }`,
    );
  }
}
