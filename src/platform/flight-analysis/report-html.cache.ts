/**
 * A small per-process cache of rendered report HTML. Rendering re-decodes the whole log (66–815 ms on the
 * development logs, on the flight compute thread), and the dashboard and PDF export ask for the same report
 * repeatedly.
 * Keys include the flight id (tenant-specific) and the report digest, so a re-analysis or another tenant's
 * flight with identical bytes never shares an entry; concurrent requests for one key share one render.
 */
export class ReportHtmlCache {
  private readonly entries = new Map<string, string>();
  private readonly pending = new Map<string, Promise<string>>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  async get(key: string, render: () => Promise<string>): Promise<string> {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Least recently used order: a hit moves to the end.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const running = this.pending.get(key);
    if (running) return running;
    const p = render().then((html) => {
      this.put(key, html);
      return html;
    }).finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private put(key: string, html: string): void {
    const cost = html.length * 2;
    if (cost > this.maxBytes / 4) return;
    this.entries.set(key, html);
    this.bytes += cost;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.length * 2;
    }
  }
}
