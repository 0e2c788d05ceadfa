/**
 * Batch writes that overlap but commit in the order they were started. Each write gets the previous
 * write's completion (its `turn`): it does its heavy work at once, on its own connection, and awaits
 * the turn only before its last step (the import's progress row and the commit). A write whose
 * previous one failed must fail too, so a later batch never commits over a hole: the import's
 * single high-water mark (committed_rows) stays exact.
 */
export class OrderedBatches {
  private readonly inFlight: Promise<void>[] = [];
  private lastTurn: Promise<void> = Promise.resolve();

  /**
   * Waits until fewer than `depth` writes are in flight (throwing the oldest one's error if it
   * failed), then starts `write`.
   */
  async submit(depth: number, write: (turn: Promise<void>) => Promise<void>): Promise<void> {
    while (this.inFlight.length >= Math.max(1, depth)) await this.inFlight.shift();
    const done = write(this.lastTurn);
    // Failures are reported where the write is awaited (submit, drain, settle), not as unhandled.
    done.catch(() => undefined);
    this.lastTurn = done;
    this.inFlight.push(done);
  }

  /** Waits for every write; throws the first failure in start order. */
  async drain(): Promise<void> {
    const failure = await this.settle();
    if (failure) throw failure.error;
  }

  /** Waits for every write and returns the first failure in start order, if any, without throwing. */
  async settle(): Promise<{ readonly error: unknown } | undefined> {
    let failure: { error: unknown } | undefined;
    while (this.inFlight.length > 0) {
      try {
        await this.inFlight.shift();
      } catch (error) {
        failure ??= { error };
      }
    }
    return failure;
  }
}
