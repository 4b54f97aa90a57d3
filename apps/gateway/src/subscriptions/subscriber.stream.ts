import type { EventEnvelope } from '@otklik/contracts';

export interface SubscriberStreamOptions<T> {
  /** Turns an accepted event into what the subscriber receives; null skips it (not visible). */
  resolve(event: EventEnvelope): Promise<T | null>;
  /** At most this many events wait for a slow subscriber; beyond it the oldest are dropped. */
  maxQueue: number;
  /** Called once when the queue starts overflowing (and again after it has drained). */
  onOverflow(): void;
  onResolveError(error: unknown, event: EventEnvelope): void;
  onClose(): void;
}

/**
 * One subscriber's events: a bounded queue filled by the bridge and drained by the
 * subscriber's pulls, so the entity is fetched only as fast as the subscriber reads.
 */
export class SubscriberStream<T> implements AsyncIterableIterator<T> {
  private readonly queue: EventEnvelope[] = [];
  private wake?: () => void;
  private closed = false;
  private overflowing = false;
  private droppedCount = 0;

  constructor(private readonly options: SubscriberStreamOptions<T>) {}

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
      const event = this.queue.shift();
      if (!event) {
        this.overflowing = false;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      let value: T | null = null;
      try {
        value = await this.options.resolve(event);
      } catch (error) {
        this.options.onResolveError(error, event);
      }
      if (value !== null && !this.closed) return { value, done: false };
    }
    return { value: undefined, done: true };
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<T>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.wake?.();
    this.options.onClose();
  }
}
