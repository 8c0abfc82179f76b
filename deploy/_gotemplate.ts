/**
 * A renderer for the subset of Go templates (text/template + the Sprig/Helm functions) that the
 * chart in `deploy/helm/` uses, so the chart can be rendered and checked without a `helm` binary
 * (none is packaged for the machines this project is built on). It is strict: an unknown
 * function, an unclosed block or a missing `required` value is an error naming the template and
 * line, never an empty string.
 *
 * Supported: `{{ }}` with `{{-`/`-}}` trimming, comments, pipelines with `|`, parentheses,
 * variables (`$x := …`, `$`), field chains (`.Values.a.b`, `$x.y`), `if`/`else if`/`else`,
 * `range` (lists and maps, with `$i, $v :=`), `with`, `define`, `include`, `template`, and the
 * functions listed in {@link FUNCTIONS}.
 *
 * @module
 */
import { stringify } from "yaml";

type Value = unknown;

interface Text {
  kind: "text";
  text: string;
}
interface Action {
  kind: "action";
  pipe: Pipeline;
  line: number;
}
interface If {
  kind: "if" | "with";
  branches: { cond: Pipeline | null; body: Node[] }[];
  line: number;
}
interface Range {
  kind: "range";
  pipe: Pipeline;
  body: Node[];
  elseBody: Node[];
  line: number;
}
type Node = Text | Action | If | Range;

interface Pipeline {
  decl: string[];
  cmds: Cmd[][];
}
type Cmd =
  | { t: "field"; base: string | null; path: string[] }
  | { t: "lit"; v: Value }
  | { t: "ident"; name: string }
  | { t: "sub"; pipe: Pipeline };

/** A template set: every file's `define`s plus the files themselves. */
export interface TemplateSet {
  /** `define`d templates by name. */
  readonly defines: Map<string, Node[]>;
  /** Parsed files by name. */
  readonly files: Map<string, Node[]>;
}

function tokenize(src: string, file: string): { raw: string; action: boolean; line: number }[] {
  const out: { raw: string; action: boolean; line: number }[] = [];
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const open = src.indexOf("{{", i);
    if (open < 0) {
      out.push({ raw: src.slice(i), action: false, line });
      break;
    }
    let text = src.slice(i, open);
    let j = open + 2;
    const trimLeft = src[j] === "-" && /\s/.test(src[j + 1] ?? "");
    if (trimLeft) {
      j += 1;
      text = text.replace(/\s+$/, "");
    }
    out.push({ raw: text, action: false, line });
    line += (src.slice(i, open).match(/\n/g) ?? []).length;
    const close = src.indexOf("}}", j);
    if (close < 0) throw new SyntaxError(`${file}:${line}: unclosed action`);
    let body = src.slice(j, close);
    let next = close + 2;
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      while (next < src.length && /\s/.test(src[next])) next++;
    }
    out.push({ raw: body.trim(), action: true, line });
    line += (src.slice(open, next).match(/\n/g) ?? []).length;
    i = next;
  }
  return out;
}

function lexPipeline(s: string, where: string): string[] {
  const toks: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
      if (j >= s.length) throw new SyntaxError(`${where}: unterminated string`);
      toks.push(s.slice(i, j + 1));
      i = j + 1;
    } else if (c === "`") {
      const j = s.indexOf("`", i + 1);
      if (j < 0) throw new SyntaxError(`${where}: unterminated raw string`);
      toks.push(s.slice(i, j + 1));
      i = j + 1;
    } else if (c === "(" || c === ")" || c === "|" || c === ",") {
      toks.push(c);
      i++;
    } else if (s.startsWith(":=", i) || (c === "=" && s[i + 1] !== "=")) {
      toks.push(c === ":" ? ":=" : "=");
      i += c === ":" ? 2 : 1;
    } else {
      let j = i;
      while (j < s.length && !/[\s()|,]/.test(s[j]) && !s.startsWith(":=", j)) j++;
      toks.push(s.slice(i, j));
      i = j;
    }
  }
  return toks;
}

function parsePipeline(src: string, where: string): Pipeline {
  const toks = lexPipeline(src, where);
  let pos = 0;
  const parse = (stop: string | null): Pipeline => {
    const decl: string[] = [];
    // `$a, $b :=` or `$a :=`
    const save = pos;
    const names: string[] = [];
    while (pos < toks.length && toks[pos].startsWith("$")) {
      names.push(toks[pos++]);
      if (toks[pos] === ",") pos++;
      else break;
    }
    if (names.length > 0 && (toks[pos] === ":=" || toks[pos] === "=")) {
      pos++;
      decl.push(...names);
    } else {
      pos = save;
    }
    const cmds: Cmd[][] = [[]];
    while (pos < toks.length && toks[pos] !== stop) {
      const t = toks[pos++];
      if (t === "|") {
        cmds.push([]);
        continue;
      }
      const cur = cmds[cmds.length - 1];
      if (t === "(") {
        cur.push({ t: "sub", pipe: parse(")") });
        if (toks[pos++] !== ")") throw new SyntaxError(`${where}: missing )`);
      } else if (t.startsWith('"')) {
        cur.push({ t: "lit", v: JSON.parse(t) });
      } else if (t.startsWith("`")) {
        cur.push({ t: "lit", v: t.slice(1, -1) });
      } else if (/^-?\d+(\.\d+)?$/.test(t)) {
        cur.push({ t: "lit", v: Number(t) });
      } else if (t === "true" || t === "false") {
        cur.push({ t: "lit", v: t === "true" });
      } else if (t === "nil") {
        cur.push({ t: "lit", v: null });
      } else if (t === "." || t.startsWith(".")) {
        cur.push({ t: "field", base: null, path: t === "." ? [] : t.slice(1).split(".") });
      } else if (t.startsWith("$")) {
        const [base, ...path] = t.split(".");
        cur.push({ t: "field", base, path });
      } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) {
        cur.push({ t: "ident", name: t });
      } else {
        throw new SyntaxError(`${where}: unexpected token ${t}`);
      }
    }
    if (cmds.some((c) => c.length === 0)) throw new SyntaxError(`${where}: empty command in pipeline`);
    return { decl, cmds };
  };
  const p = parse(null);
  if (pos !== toks.length) throw new SyntaxError(`${where}: unexpected ${toks[pos]}`);
  return p;
}

/**
 * Parses one template file into the set.
 *
 * @param set The set to add to (create with {@link newTemplateSet}).
 * @param name The file's name (for errors and `template`).
 * @param src The template text.
 */
export function addTemplate(set: TemplateSet, name: string, src: string): void {
  const toks = tokenize(src, name);
  let pos = 0;
  const block = (terms: string[]): { nodes: Node[]; term: string; termArgs: string } => {
    const nodes: Node[] = [];
    while (pos < toks.length) {
      const tok = toks[pos++];
      if (!tok.action) {
        if (tok.raw) nodes.push({ kind: "text", text: tok.raw });
        continue;
      }
      const where = `${name}:${tok.line}`;
      const body = tok.raw;
      if (body.startsWith("/*")) continue;
      const [kw, ...rest] = body.split(/\s+/);
      const args = rest.join(" ");
      if (terms.includes(kw)) return { nodes, term: kw, termArgs: args };
      if (kw === "if" || kw === "with") {
        const node: If = { kind: kw, branches: [], line: tok.line };
        let cond: Pipeline | null = parsePipeline(args, where);
        for (;;) {
          const b = block(["else", "end"]);
          node.branches.push({ cond, body: b.nodes });
          if (b.term === "end") break;
          if (b.termArgs.startsWith("if ")) cond = parsePipeline(b.termArgs.slice(3), where);
          else if (b.termArgs === "") cond = null;
          else throw new SyntaxError(`${where}: unsupported else ${b.termArgs}`);
          if (cond === null) {
            const last = block(["end"]);
            node.branches.push({ cond: null, body: last.nodes });
            break;
          }
        }
        nodes.push(node);
      } else if (kw === "range") {
        const pipe = parsePipeline(args, where);
        const b = block(["else", "end"]);
        const elseBody = b.term === "else" ? block(["end"]).nodes : [];
        nodes.push({ kind: "range", pipe, body: b.nodes, elseBody, line: tok.line });
      } else if (kw === "define") {
        const defName = JSON.parse(args);
        set.defines.set(defName, block(["end"]).nodes);
      } else if (kw === "template") {
        const m = /^("(?:[^"\\]|\\.)*")\s*(.*)$/.exec(args);
        if (!m) throw new SyntaxError(`${where}: bad template call`);
        nodes.push({
          kind: "action",
          pipe: parsePipeline(`include ${m[1]} ${m[2] || "."}`, where),
          line: tok.line,
        });
      } else if (kw === "end" || kw === "else") {
        throw new SyntaxError(`${where}: unexpected ${kw}`);
      } else {
        nodes.push({ kind: "action", pipe: parsePipeline(body, where), line: tok.line });
      }
    }
    if (terms.length > 0) throw new SyntaxError(`${name}: missing {{ end }}`);
    return { nodes, term: "", termArgs: "" };
  };
  set.files.set(name, block([]).nodes);
}

/**
 * A new, empty template set.
 *
 * @returns The set.
 */
export function newTemplateSet(): TemplateSet {
  return { defines: new Map(), files: new Map() };
}

/** Go template truthiness: false, 0, nil, "" and empty lists/maps are false. */
export function truthy(v: Value): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v as object).length > 0;
  return true;
}

function toYaml(v: Value): string {
  if (v === null || v === undefined) return "null";
  return stringify(v, { lineWidth: 0 }).replace(/\n$/, "");
}

function indent(n: number, s: string): string {
  const pad = " ".repeat(n);
  return s.split("\n").map((l) => pad + l).join("\n");
}

function str(v: Value): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function printf(fmt: string, ...args: Value[]): string {
  let i = 0;
  return fmt.replace(/%([sdvq%])/g, (_m, c) => {
    if (c === "%") return "%";
    const a = args[i++];
    if (c === "q") return JSON.stringify(str(a));
    return str(a);
  });
}

type Fn = (this: Ctx, ...args: Value[]) => Value;

interface Ctx {
  set: TemplateSet;
  where: string;
  render(name: string, dot: Value): string;
}

/** The functions the renderer knows (Go builtins, Sprig and Helm's `include`/`required`). */
export const FUNCTIONS: Record<string, Fn> = {
  include(this: Ctx, name, dot) {
    return this.render(String(name), dot);
  },
  required(this: Ctx, msg, v) {
    if (v === null || v === undefined || v === "") throw new Error(`${this.where}: ${msg}`);
    return v;
  },
  fail(this: Ctx, msg) {
    throw new Error(`${this.where}: ${str(msg)}`);
  },
  toYaml: (v) => toYaml(v),
  nindent: (n, s) => "\n" + indent(Number(n), str(s)),
  indent: (n, s) => indent(Number(n), str(s)),
  quote: (...v) => v.map((x) => JSON.stringify(str(x))).join(" "),
  squote: (...v) => v.map((x) => `'${str(x)}'`).join(" "),
  default: (d, v) => (truthy(v) ? v : d),
  printf: (f, ...a) => printf(String(f), ...a),
  print: (...a) => a.map(str).join(""),
  trunc: (n, s) => str(s).slice(0, Number(n)),
  trimSuffix: (suf, s) => (str(s).endsWith(str(suf)) ? str(s).slice(0, -str(suf).length) : str(s)),
  replace: (a, b, s) => str(s).split(str(a)).join(str(b)),
  lower: (s) => str(s).toLowerCase(),
  upper: (s) => str(s).toUpperCase(),
  toString: (v: Value) => str(v),
  int: (v) => Math.trunc(Number(v)),
  eq: (a, ...b) => b.some((x) => x === a),
  ne: (a, b) => a !== b,
  lt: (a, b) => Number(a) < Number(b),
  gt: (a, b) => Number(a) > Number(b),
  not: (v) => !truthy(v),
  and: (...v) => v.reduce((acc, x) => (truthy(acc) ? x : acc)),
  or: (...v) => v.find((x) => truthy(x)) ?? v[v.length - 1],
  empty: (v) => !truthy(v),
  hasKey: (m, k) => typeof m === "object" && m !== null && Object.hasOwn(m, String(k)),
  list: (...v) => v,
  dict: (...kv) => {
    const o: Record<string, Value> = {};
    for (let i = 0; i < kv.length; i += 2) o[str(kv[i])] = kv[i + 1];
    return o;
  },
  b64enc: (s) => btoa(str(s)),
  // Sprig's dig: the keys, a default, then the map (the default when a key is missing on the way)
  dig: (...args) => {
    const m = args[args.length - 1];
    let v: Value = m;
    for (const k of args.slice(0, -2)) {
      if (v === null || typeof v !== "object" || !Object.hasOwn(v, str(k))) return args[args.length - 2];
      v = (v as Record<string, Value>)[str(k)];
    }
    return v;
  },
};

function lookup(dot: Value, path: string[], where: string): Value {
  let v = dot;
  for (const p of path) {
    if (v === null || v === undefined) return undefined;
    if (typeof v !== "object") throw new TypeError(`${where}: cannot read .${p} of a ${typeof v}`);
    v = (v as Record<string, Value>)[p];
  }
  return v;
}

interface Scope {
  dot: Value;
  vars: Map<string, Value>;
}

function evalPipe(ctx: Ctx, pipe: Pipeline, scope: Scope): Value {
  let prev: Value = undefined;
  let first = true;
  for (const cmd of pipe.cmds) {
    const args = cmd.slice(1).map((c) => evalArg(ctx, c, scope));
    if (!first) args.push(prev);
    const head = cmd[0];
    if (head.t === "ident") {
      const fn = FUNCTIONS[head.name];
      if (!fn) throw new Error(`${ctx.where}: unknown function ${head.name}`);
      prev = fn.apply(ctx, args);
    } else {
      if (args.length > 0) throw new Error(`${ctx.where}: a value cannot take arguments`);
      prev = evalArg(ctx, head, scope);
    }
    first = false;
  }
  for (const name of pipe.decl) scope.vars.set(name, prev);
  return prev;
}

function evalArg(ctx: Ctx, c: Cmd, scope: Scope): Value {
  switch (c.t) {
    case "lit":
      return c.v;
    case "sub":
      return evalPipe(ctx, c.pipe, scope);
    case "ident": {
      const fn = FUNCTIONS[c.name];
      if (!fn) throw new Error(`${ctx.where}: unknown function ${c.name}`);
      return fn.apply(ctx, []);
    }
    case "field": {
      let base: Value = scope.dot;
      if (c.base !== null) {
        if (!scope.vars.has(c.base)) throw new Error(`${ctx.where}: undefined variable ${c.base}`);
        base = scope.vars.get(c.base);
      }
      return lookup(base, c.path, ctx.where);
    }
  }
}

function renderNodes(ctx: Ctx, nodes: Node[], scope: Scope, file: string): string {
  let out = "";
  for (const n of nodes) {
    if (n.kind === "text") {
      out += n.text;
      continue;
    }
    ctx.where = `${file}:${n.line}`;
    if (n.kind === "action") {
      const v = evalPipe(ctx, n.pipe, scope);
      if (n.pipe.decl.length === 0) out += str(v);
    } else if (n.kind === "if" || n.kind === "with") {
      for (const b of n.branches) {
        const v = b.cond === null ? true : evalPipe(ctx, b.cond, scope);
        if (truthy(v)) {
          const inner = {
            dot: n.kind === "with" && b.cond !== null ? v : scope.dot,
            vars: new Map(scope.vars),
          };
          out += renderNodes(ctx, b.body, inner, file);
          break;
        }
      }
    } else if (n.kind === "range") {
      const decl = n.pipe.decl;
      const v = evalPipe(ctx, { decl: [], cmds: n.pipe.cmds }, scope);
      const items: [Value, Value][] = Array.isArray(v)
        ? v.map((x, i) => [i, x])
        : v && typeof v === "object"
        ? Object.keys(v).sort().map((k) => [k, (v as Record<string, Value>)[k]])
        : [];
      if (items.length === 0) out += renderNodes(ctx, n.elseBody, scope, file);
      for (const [k, x] of items) {
        const vars = new Map(scope.vars);
        if (decl.length === 1) vars.set(decl[0], x);
        if (decl.length === 2) {
          vars.set(decl[0], k);
          vars.set(decl[1], x);
        }
        out += renderNodes(ctx, n.body, { dot: x, vars }, file);
      }
    }
  }
  return out;
}

/**
 * Renders one file of the set with `dot` as `.` (and `$`).
 *
 * @param set The parsed templates.
 * @param file The file to render.
 * @param dot The data: `{ Values, Release, Chart, Capabilities }` for a chart.
 * @returns The rendered text.
 * @throws {Error} On unknown functions or templates, a failing `required`, or a bad field access.
 */
export function renderTemplate(set: TemplateSet, file: string, dot: Value): string {
  const nodes = set.files.get(file);
  if (!nodes) throw new Error(`Unknown template file ${file}`);
  const ctx: Ctx = {
    set,
    where: file,
    render(name: string, d: Value): string {
      const def = set.defines.get(name);
      if (!def) throw new Error(`${this.where}: no template named "${name}"`);
      const saved = this.where;
      const out = renderNodes(this, def, { dot: d, vars: new Map([["$", d]]) }, `define ${name}`);
      this.where = saved;
      return out;
    },
  };
  return renderNodes(ctx, nodes, { dot, vars: new Map([["$", dot]]) }, file);
}
