import { Semaphore } from './semaphore';

/** Lets every pending promise callback run (no timers involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts acquire() and reports, after settle(), whether it got its permit. */
function tryAcquire(semaphore: Semaphore): { got: () => boolean; done: Promise<void> } {
  let got = false;
  const done = semaphore.acquire().then(() => {
    got = true;
  });
  return { got: () => got, done };
}

describe('Semaphore: bounds how many events a consumer processes at once', () => {
  it('the first N acquires get a permit at once; the next one waits', async () => {
    const semaphore = new Semaphore(2);
    const first = tryAcquire(semaphore);
    const second = tryAcquire(semaphore);
    const third = tryAcquire(semaphore);
    await settle();
    expect([first.got(), second.got(), third.got()]).toEqual([true, true, false]);
  });

  it('a release hands the permit to a waiter', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const waiter = tryAcquire(semaphore);
    await settle();
    expect(waiter.got()).toBe(false);
    semaphore.release();
    await waiter.done;
    expect(waiter.got()).toBe(true);
  });

  it('a handed-over permit is not counted twice: the next acquirer still waits', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const second = tryAcquire(semaphore);
    const third = tryAcquire(semaphore);
    semaphore.release();
    await settle();
    expect([second.got(), third.got()]).toEqual([true, false]);
  });

  it('a release with nobody waiting returns the permit for the next acquire', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    semaphore.release();
    const next = tryAcquire(semaphore);
    await settle();
    expect(next.got()).toBe(true);
  });

  it('waiters get their permits in the order they asked (FIFO)', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const order: number[] = [];
    const waiters = [1, 2, 3, 4].map((n) => semaphore.acquire().then(() => order.push(n)));
    for (let i = 0; i < 4; i++) {
      semaphore.release();
      await settle();
    }
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('never more than N tasks run at once, and N do run together', async () => {
    const limit = 3;
    const semaphore = new Semaphore(limit);
    let running = 0;
    let most = 0;
    const finishers: Array<() => void> = [];
    const task = async () => {
      await semaphore.acquire();
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => finishers.push(resolve));
      running--;
      semaphore.release();
    };
    const all = Promise.all(Array.from({ length: 10 }, task));
    // Finish the running tasks one at a time, out of start order, until all ten have run.
    for (let finished = 0; finished < 10; finished++) {
      await settle();
      expect(running).toBeLessThanOrEqual(limit);
      finishers.splice(finished % 2 === 0 ? finishers.length - 1 : 0, 1)[0]();
    }
    await all;
    expect(most).toBe(limit);
    expect(running).toBe(0);
  });
});
