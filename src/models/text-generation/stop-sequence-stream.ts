/**
 * Streams generated text while watching for stop sequences: text that could still turn into a
 * stop sequence is held back, and once one appears the text ends just before it (it is never emitted).
 */
export class StopSequenceStream {
  private text = '';
  private emitted = 0;
  private stoppedAt?: number;

  constructor(
    private readonly stops: readonly string[],
    private readonly emit: (piece: string) => void = () => undefined,
  ) {}

  get stopped(): boolean {
    return this.stoppedAt !== undefined;
  }

  /** Adds generated text; true once a stop sequence has appeared (later pushes are ignored). */
  push(piece: string): boolean {
    if (this.stopped) return true;
    const longest = Math.max(0, ...this.stops.map((stop) => stop.length));
    const searchFrom = Math.max(0, this.text.length - longest + 1);
    this.text += piece;
    const found = this.stops
      .map((stop) => this.text.indexOf(stop, searchFrom))
      .filter((index) => index >= 0)
      .sort((a, b) => a - b)[0];
    if (found !== undefined) {
      this.stoppedAt = found;
      this.text = this.text.slice(0, found);
      this.flushTo(found);
      return true;
    }
    this.flushTo(this.text.length - this.heldBack());
    return false;
  }

  /** Emits what was held back and returns the whole text. */
  finish(): string {
    this.flushTo(this.text.length);
    return this.text;
  }

  /** Length of the longest tail of the text that starts some stop sequence. */
  private heldBack(): number {
    let held = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, this.text.length); length > held; length--) {
        if (this.text.endsWith(stop.slice(0, length))) {
          held = length;
          break;
        }
      }
    }
    return held;
  }

  private flushTo(end: number): void {
    if (end <= this.emitted) return;
    this.emit(this.text.slice(this.emitted, end));
    this.emitted = end;
  }
}
