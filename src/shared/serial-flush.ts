/**
 * The write-behind schedule shared by buffers that send their contents to the database in batches (the rate
 * counters, the query log): one flush at a time (a caller during a flush waits for it, then for one of its
 * own), a timer armed by new data, and a last flush on stop.
 */
export class SerialFlush {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  stopped = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly everyMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** A flush is under way. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Flushes `everyMs` from now, unless a flush is already scheduled or the buffer is stopped. */
  arm(): void {
    if (this.timer || this.stopped || this.everyMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run().catch(this.onError);
    }, this.everyMs);
    this.timer.unref();
  }

  /** Flushes now (after any flush in progress). */
  run(): Promise<void> {
    const next = (this.running ?? Promise.resolve()).then(() => this.task());
    const tracked = next.finally(() => {
      if (this.running === tracked) this.running = undefined;
    });
    this.running = tracked;
    return tracked;
  }

  /** Stops the timer and flushes what is left (on server close). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.run();
  }
}
