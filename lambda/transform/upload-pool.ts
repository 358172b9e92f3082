/**
 * Bounded concurrency for the transform's S3 PUTs. An object can touch thousands of partitions;
 * starting a PUT per partition at once queues them all in the SDK's HTTP agent (50 sockets by
 * default), holds every encoded file in memory until its turn, and S3 answers a burst like that
 * with throttling or InternalError. Instead at most `limit` uploads run, and `submit` resolves only
 * once its upload has started, so the writer encodes the next file only when a slot is free:
 * memory holds at most `limit` files in flight plus the rows still buffered.
 */

/**
 * Uploads in flight per invocation. Eight keeps a 1 GB Lambda's network busy with files of a few
 * MB (S3 serves each PUT in tens of milliseconds), well under the SDK's 50 sockets and S3's
 * per-prefix rates, and bounds the encoded bytes waiting on the network to eight files.
 */
export const MAX_UPLOADS_IN_FLIGHT = 8;

export class UploadPool {
  private running = 0;
  /** Submitters waiting for a slot, first come first served: a finished upload hands its slot to the next. */
  private readonly waiting: Array<() => void> = [];
  private readonly settled: Array<() => void> = [];
  private failure: unknown;
  private failed = false;

  constructor(private readonly limit: number = MAX_UPLOADS_IN_FLIGHT) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`upload pool limit must be a positive integer, got ${limit}`);
  }

  /** Uploads in flight now. */
  public get inFlight(): number {
    return this.running;
  }

  /**
   * Waits for a free slot, starts `upload` and returns. An upload that fails makes every later
   * submit and drain throw its error, so the transform stops at the first failed PUT.
   */
  public async submit(upload: () => Promise<void>): Promise<void> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    // The slot is ours now (counted above, or handed over by release()).
    if (this.failed) {
      this.release();
      throw this.failure;
    }
    upload().then(
      () => this.release(),
      (error: unknown) => {
        if (!this.failed) { this.failed = true; this.failure = error; }
        this.release();
      },
    );
  }

  /** Waits until every upload submitted has finished; throws the first failure. */
  public async drain(): Promise<void> {
    while (this.running > 0 || this.waiting.length > 0) await new Promise<void>((resolve) => this.settled.push(resolve));
    if (this.failed) throw this.failure;
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes on: running stays the same
    else this.running--;
    for (const resolve of this.settled.splice(0)) resolve();
  }
}
