/**
 * Cuts a stream of text chunks into CSV records. A record ends at a newline outside quotes, so a
 * quoted cell may hold newlines and a record may span any number of chunks. `\r\n` and a leading BOM
 * are handled here; cells are split later by `splitRecord`.
 */

/** A record longer than this is dropped (a hostile or broken file cannot make us buffer it all). */
export const MAX_RECORD_CHARS = 1 << 20;

export interface RecordCallbacks {
  record(text: string, offset: number): void;
  /** A record exceeded {@link MAX_RECORD_CHARS}; it is skipped up to the next newline. */
  oversized(offset: number): void;
}

export class RecordSplitter {
  private carry = '';
  /** Number of `"` in `carry`: odd means the pending newline search is inside quotes. */
  private carryQuotes = 0;
  private skipping = false;
  private started = false;
  /** Approximate character offset of `carry[0]` (characters, which equal bytes for ASCII files). */
  private offset = 0;

  constructor(private readonly out: RecordCallbacks) {}

  push(text: string): void {
    let s = text;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) {
        s = s.slice(1);
        this.offset = 3;
      }
    }
    let from = 0;
    while (from < s.length) {
      const nl = s.indexOf('\n', from);
      const piece = nl < 0 ? s.slice(from) : s.slice(from, nl);
      if (this.skipping) {
        if (nl < 0) {
          this.offset += piece.length;
          return;
        }
        this.skipping = false;
        this.offset += piece.length + 1;
        from = nl + 1;
        continue;
      }
      this.carry += piece;
      this.carryQuotes += countQuotes(piece);
      if (this.carry.length > MAX_RECORD_CHARS) {
        this.out.oversized(this.offset);
        this.offset += this.carry.length;
        this.carry = '';
        this.carryQuotes = 0;
        this.skipping = nl < 0;
        if (nl < 0) return;
        this.offset += 1;
        from = nl + 1;
        continue;
      }
      if (nl < 0) return;
      from = nl + 1;
      if (this.carryQuotes % 2 === 1) {
        this.carry += '\n';
        continue;
      }
      this.emit(this.carry.length + 1);
    }
  }

  /** Flushes a last record without a final newline. Returns whether it ended inside quotes. */
  end(): { lastWithoutNewline: boolean; openQuote: boolean } {
    const openQuote = this.carryQuotes % 2 === 1;
    const lastWithoutNewline = this.carry.length > 0 && !openQuote;
    if (lastWithoutNewline) this.emit(this.carry.length);
    return { lastWithoutNewline, openQuote };
  }

  private emit(consumed: number): void {
    const text = this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry;
    const at = this.offset;
    this.offset += consumed;
    this.carry = '';
    this.carryQuotes = 0;
    this.out.record(text, at);
  }
}

function countQuotes(s: string): number {
  let n = 0;
  let at = s.indexOf('"');
  while (at >= 0) {
    n++;
    at = s.indexOf('"', at + 1);
  }
  return n;
}
