/**
 * The error `unicornfy` throws for a frame that is not JSON.
 *
 * @module
 */

/** How many characters of a bad frame an error message quotes. */
const HEAD_LENGTH = 40;

/**
 * A frame that is not JSON. A `SyntaxError`, so `catch (e) { if (e instanceof SyntaxError) … }` works;
 * the original parser error is kept as `cause`.
 */
export class UnicornfyParseError extends SyntaxError {
  /** Exchange the frame was normalized for. */
  readonly exchange: string;
  /** The first characters of the frame (at most 40). */
  readonly head: string;

  /**
   * Builds the error; the message quotes at most the first 40 characters of the frame.
   *
   * @param exchange Exchange name the frame came from.
   * @param frame The raw frame text.
   * @param options `cause`: the parser's error.
   */
  constructor(exchange: string, frame: string, options?: ErrorOptions) {
    const head = frame.slice(0, HEAD_LENGTH);
    const more = frame.length > HEAD_LENGTH ? "…" : "";
    super(
      `Cannot unicornfy a frame from ${exchange}: not JSON (${frame.length} chars, starts with ${
        JSON.stringify(head)
      }${more})`,
      options,
    );
    this.name = "UnicornfyParseError";
    this.exchange = exchange;
    this.head = head;
  }
}
