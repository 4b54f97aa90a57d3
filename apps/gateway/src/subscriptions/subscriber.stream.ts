import type { EventEnvelope } from '@otklik/contracts';

export interface SubscriberStreamOptions<T> {
  /**
   * Turns accepted events into what the subscriber receives, one result per event in the same
   * order; null skips that event (not visible). Called with the events queued when the
   * subscriber pulls (at most maxBatch), so a burst costs one call per batch.
   */
  resolveBatch(events: readonly EventEnvelope[]): Promise<ReadonlyArray<T | null>>;
  /** At most this many events wait for a slow subscriber; beyond it the oldest are dropped. */
  maxQueue: number;
  /** At most this many events are resolved together (default 100). */
  maxBatch?: number;
  /** Called once when the queue starts overflowing (and again after it has drained). */
  onOverflow(): void;
  /** Called once per failed batch; its events are skipped. */
  onResolveError(error: unknown, events: readonly EventEnvelope[]): void;
  onClose(): void;
}

export const DEFAULT_MAX_BATCH = 100;

/**
 * One subscriber's events: a bounded queue filled by the bridge and drained by the
 * subscriber's pulls, so entities are fetched only as fast as the subscriber reads. A pull
 * with an empty buffer takes every queued event (up to maxBatch) and resolves them together,
 * without waiting for a batch to fill; the results are handed out one per pull, in order.
 */
export class SubscriberStream<T> implements AsyncIterableIterator<T> {
  private readonly queue: EventEnvelope[] = [];
  /** Resolved values of the current batch not yet handed out (nulls already left out). */
  private buffer: T[] = [];
  private wake?: () => void;
  private closed = false;
  /** Set by fail(): what the pull that finds the stream closed rejects with. */
  private failure?: { error: unknown };
  private overflowing = false;
  private droppedCount = 0;
  private readonly maxBatch: number;

  constructor(private readonly options: SubscriberStreamOptions<T>) {
    this.maxBatch = Math.max(1, Math.floor(options.maxBatch ?? DEFAULT_MAX_BATCH));
  }

  get dropped(): number {
    return this.droppedCount;
  }

  get queued(): number {
    return this.queue.length;
  }

  offer(event: EventEnvelope): void {
    if (this.closed) return;
    if (this.queue.length >= this.options.maxQueue) {
      this.queue.shift();
      this.droppedCount += 1;
      if (!this.overflowing) {
        this.overflowing = true;
        this.options.onOverflow();
      }
    }
    this.queue.push(event);
    this.wake?.();
  }

  async next(): Promise<IteratorResult<T>> {
    while (!this.closed) {
      if (this.buffer.length > 0) return { value: this.buffer.shift() as T, done: false };
      if (this.queue.length === 0) {
        this.overflowing = false;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const values = await this.options.resolveBatch(batch);
        if (values.length !== batch.length)
          throw new Error(`resolving ${batch.length} events gave ${values.length} results`);
        if (!this.closed) this.buffer = values.filter((value): value is T => value !== null);
      } catch (error) {
        this.options.onResolveError(error, batch);
      }
    }
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure.error;
    return { value: undefined, done: true };
  }

  return(): Promise<IteratorResult<T>> {
    this.failure = undefined;
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<T>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * Ends the stream with an error: what is buffered or queued is discarded, the pending pull (or
   * the next one) rejects with `error`, and pulls after it are done.
   */
  fail(error: unknown): void {
    if (this.closed) return;
    this.failure = { error };
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.buffer = [];
    this.wake?.();
    this.options.onClose();
  }
}
