/**
 * Turns a field table into a mapping function, once per event type.
 *
 * Where the runtime allows `new Function` (Deno, Bun, Node, browsers without a strict CSP), the
 * table is compiled to straight-line code with constant property names: V8/JSC then see one
 * monomorphic property access per field instead of a generic keyed load/store in a loop, which
 * measured 10–50× faster on the all-market ticker arrays. The generated source is built only from
 * the static tables of this package (keys quoted with `JSON.stringify`), never from frame data.
 * Where code generation is forbidden (Cloudflare Workers, CSP without `unsafe-eval`), the same
 * table is interpreted by {@link mapFields}; `tests/unicornfy/compile_test.ts` checks both agree.
 *
 * @module
 */
import { COPY, type EventSpec, type FieldSpec, FLATTEN, LIST, OBJECT } from "./field_table.ts";

/** A raw or normalized JSON object. */
export type Raw = Record<string, unknown>;

/** Copies the fields of `raw` named in a table into `out`. */
export type Mapper = (raw: Raw, out: Raw) => void;

/** An event spec with its mapper. */
export interface CompiledEvent {
  /** The table. */
  readonly spec: EventSpec;
  /** Its mapping function. */
  readonly map: Mapper;
}

/** Interprets a field table (the fallback where code generation is not allowed). */
export function mapFields(raw: Raw, fields: readonly FieldSpec[], out: Raw): void {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const value = raw[field.raw];
    if (value === undefined) continue;
    const kind = field.kind;
    if (kind === COPY) {
      out[field.key] = value;
    } else if (value !== null && typeof value === "object") {
      if (kind === OBJECT) {
        const nested: Raw = {};
        mapFields(value as Raw, field.fields, nested);
        out[field.key] = nested;
      } else if (kind === LIST) {
        if (Array.isArray(value)) {
          const list = new Array(value.length);
          for (let j = 0; j < value.length; j++) {
            const entry = value[j];
            const mapped: Raw = {};
            if (entry !== null && typeof entry === "object") mapFields(entry as Raw, field.fields, mapped);
            list[j] = mapped;
          }
          out[field.key] = list;
        }
      } else if (kind === FLATTEN) {
        mapFields(value as Raw, field.fields, out);
      }
    }
  }
}

function source(fields: readonly FieldSpec[], src: string, out: string, depth: number): string {
  let code = "";
  for (const field of fields) {
    const raw = JSON.stringify(field.raw);
    const key = JSON.stringify(field.key);
    const d = depth + 1;
    if (field.kind === COPY) {
      code += `v=${src}[${raw}];if(v!==undefined)${out}[${key}]=v;\n`;
    } else if (field.kind === OBJECT) {
      code += `v=${src}[${raw}];if(v!==null&&typeof v==="object"){const s${d}=v;const o${d}={};\n` +
        source(field.fields, `s${d}`, `o${d}`, d) + `${out}[${key}]=o${d};}\n`;
    } else if (field.kind === LIST) {
      code += `v=${src}[${raw}];if(Array.isArray(v)){const a${d}=v;const l${d}=new Array(a${d}.length);` +
        `for(let i${d}=0;i${d}<a${d}.length;i${d}++){const s${d}=a${d}[i${d}];const o${d}={};` +
        `if(s${d}!==null&&typeof s${d}==="object"){\n` + source(field.fields, `s${d}`, `o${d}`, d) +
        `}l${d}[i${d}]=o${d};}${out}[${key}]=l${d};}\n`;
    } else if (field.kind === FLATTEN) {
      code += `v=${src}[${raw}];if(v!==null&&typeof v==="object"){const s${d}=v;\n` +
        source(field.fields, `s${d}`, out, d) + "}\n";
    }
  }
  return code;
}

let codegen: boolean | undefined;

function codegenAllowed(): boolean {
  if (codegen === undefined) {
    try {
      codegen = new Function("return 1")() === 1;
    } catch {
      codegen = false;
    }
  }
  return codegen;
}

/**
 * The mapper of a field table: compiled when allowed (and `interpret` is not set), else interpreted.
 *
 * @param fields The table.
 * @param interpret Force the interpreter (tests compare both).
 * @returns The mapping function.
 */
export function mapperOf(fields: readonly FieldSpec[], interpret = false): Mapper {
  if (!interpret && codegenAllowed()) {
    try {
      return new Function("r", "o", `"use strict";let v;\n${source(fields, "r", "o", 0)}`) as Mapper;
    } catch {
      // a CSP that allows the probe but not this call: fall through to the interpreter
    }
  }
  return (raw, out) => mapFields(raw, fields, out);
}

/**
 * Compiles a set of event specs (a later spec with the same name replaces an earlier one).
 *
 * @param specs The specs.
 * @param interpret Force the interpreter.
 * @returns Event name → compiled event.
 */
export function compileEvents(
  specs: readonly EventSpec[],
  interpret = false,
): ReadonlyMap<string, CompiledEvent> {
  const map = new Map<string, CompiledEvent>();
  for (const spec of specs) map.set(spec.eventType, { spec, map: mapperOf(spec.fields, interpret) });
  return map;
}
