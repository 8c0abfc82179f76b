/**
 * Replay of recorded Binance sessions in cryptofeed's sample-data format (as in
 * `shared/data/depth/`): `<EX>.0` (exchangeInfo line), `<EX>.http.0.0` (REST snapshots,
 * `"<URL> -> <receive ts>: <JSON>"`), `<EX>.ws.1.0` (connect line, then
 * `"<receive ts>: <combined-stream JSON>"`). Frames are delivered verbatim through the normal
 * stream endpoints at the original pace, faster, or as fast as possible; the REST endpoints serve
 * the recorded exchangeInfo and depth snapshots. Pure: the caller reads the files.
 *
 * @module
 */
import { refuseUnknownKeys } from "./option_keys.ts";

/** The texts of one recording. */
export interface Recording {
  /** Content of `<EX>.ws.1.0` (required). */
  readonly ws: string;
  /** Content of `<EX>.http.0.0` (REST snapshots). */
  readonly http?: string;
  /** Content of `<EX>.0` (exchangeInfo). */
  readonly exchangeInfo?: string;
}

/** Replay options: one recording per venue. */
export interface ReplayOptions {
  /** A spot recording (served on `/api/v3` and the spot streams). */
  readonly spot?: Recording;
  /** A USD-M recording (served on `/fapi/v1` and the futures streams). */
  readonly usdm?: Recording;
  /** A COIN-M recording (served on `/dapi/v1` and the `coinmWsUrl` streams). */
  readonly coinm?: Recording;
  /** Pace: 1 = original (default), 10 = ten times faster, `Infinity` = as fast as possible. */
  readonly speed?: number;
  /** Start playback with the first subscription (default true); otherwise call `emu.startReplay()`. */
  readonly autoStart?: boolean;
}

/** One recorded stream frame. */
export interface ReplayFrame {
  /** Receive time in ms since the recording's connect line. */
  readonly offsetMs: number;
  readonly stream: string;
  /** The `data` member, verbatim. */
  readonly data: string;
  /** The whole combined frame, verbatim. */
  readonly text: string;
}

/** A parsed recording. */
export interface ParsedRecording {
  readonly frames: readonly ReplayFrame[];
  /** Raw snapshot JSON text by uppercase symbol (the last one recorded). */
  readonly snapshots: ReadonlyMap<string, string>;
  /** Raw exchangeInfo JSON text. */
  readonly exchangeInfo: string | null;
}

const LINE_RE = /^(\d+(?:\.\d+)?): (.*)$/;

/**
 * Parses the texts of a recording.
 *
 * @throws {SyntaxError} naming the file and line when a line does not match the format
 */
export function parseRecording(rec: Recording, field = "replay"): ParsedRecording {
  if (rec === null || typeof rec !== "object" || typeof rec.ws !== "string") {
    throw new TypeError(`Invalid ${field}.ws: expected the text of a <EX>.ws.1.0 recording`);
  }
  refuseUnknownKeys(rec, ["ws", "http", "exchangeInfo"], field);
  const lines = rec.ws.split("\n").filter((l) => l.trim() !== "");
  const head = /<-> (\d+(?:\.\d+)?)$/.exec(lines[0] ?? "");
  if (!head) throw new SyntaxError(`Invalid ${field}.ws: line 1 must be the "<url> <-> <time>" connect line`);
  const t0 = Number(head[1]) * 1000;
  const frames: ReplayFrame[] = [];
  for (let i = 1; i < lines.length; i++) {
    const m = LINE_RE.exec(lines[i]);
    if (!m) throw new SyntaxError(`Invalid ${field}.ws: line ${i + 1} is not "<time>: <frame>"`);
    const text = m[2];
    const s = /^\{"stream":"([^"]+)","data":(.*)\}$/.exec(text);
    if (!s) throw new SyntaxError(`Invalid ${field}.ws: line ${i + 1} is not a combined-stream frame`);
    frames.push({ offsetMs: Math.max(0, Number(m[1]) * 1000 - t0), stream: s[1], data: s[2], text });
  }
  const snapshots = new Map<string, string>();
  for (const [i, line] of (rec.http ?? "").split("\n").entries()) {
    if (line.trim() === "") continue;
    const m = /^(\S+) -> \d+(?:\.\d+)?: (.*)$/.exec(line);
    if (!m) throw new SyntaxError(`Invalid ${field}.http: line ${i + 1} is not "<url> -> <time>: <json>"`);
    const sym = new URL(m[1]).searchParams.get("symbol");
    if (sym) snapshots.set(sym.toUpperCase(), m[2]);
  }
  let exchangeInfo: string | null = null;
  const first = (rec.exchangeInfo ?? "").split("\n")[0];
  if (first) {
    const m = /^\S+ -> \d+(?:\.\d+)?: (.*)$/.exec(first);
    if (!m) throw new SyntaxError(`Invalid ${field}.exchangeInfo: line 1 is not "<url> -> <time>: <json>"`);
    exchangeInfo = m[1];
  }
  return { frames, snapshots, exchangeInfo };
}

/** Plays one parsed recording into a sink at a pace. */
export class ReplayPlayer {
  readonly recording: ParsedRecording;
  readonly #speed: number;
  readonly #deliver: (f: ReplayFrame) => void;
  #next = 0;
  #startedAt = -1;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #drained!: () => void;
  /** Resolves once every frame has been delivered, or playback was stopped. */
  readonly done: Promise<void> = new Promise((r) => this.#drained = r);

  /** Creates a player; `deliver` receives frames in recorded order. */
  constructor(recording: ParsedRecording, speed: number, deliver: (f: ReplayFrame) => void) {
    this.recording = recording;
    this.#speed = speed;
    this.#deliver = deliver;
  }

  /** Whether playback has started. */
  get started(): boolean {
    return this.#startedAt >= 0;
  }

  /** Frames delivered so far. */
  get delivered(): number {
    return this.#next;
  }

  /** Starts playback (idempotent). */
  start(): void {
    if (this.started || this.#stopped) return;
    this.#startedAt = Date.now();
    this.#tick();
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    const frames = this.recording.frames;
    const fast = !Number.isFinite(this.#speed);
    const elapsed = (Date.now() - this.#startedAt) * this.#speed;
    let n = 0;
    while (this.#next < frames.length && (fast ? n < 500 : frames[this.#next].offsetMs <= elapsed)) {
      this.#deliver(frames[this.#next++]);
      n++;
    }
    if (this.#next >= frames.length) {
      this.#drained();
      return;
    }
    const wait = fast ? 0 : Math.max(0, (frames[this.#next].offsetMs - elapsed) / this.#speed);
    this.#timer = setTimeout(() => this.#tick(), wait);
  }

  /** Stops playback. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#drained();
  }
}
