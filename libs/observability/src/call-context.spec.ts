import { ALL_ORGS, CallContext, callContext, newCorrelationId, orgsScope } from './call-context';

const context = (correlationId: string, actor?: string): CallContext => ({ correlationId, orgScope: ALL_ORGS, actor });

/** A promise resolved from outside, to interleave two async calls in a chosen order without timers. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('callContext: what a request or event handler carries', () => {
  it('outside any call there is no context: current and correlationId are undefined', () => {
    expect(callContext.current()).toBeUndefined();
    expect(callContext.correlationId()).toBeUndefined();
  });

  it('require() outside a call is a programming error with a message saying how to fix it', () => {
    expect(() => callContext.require()).toThrow('no call context: wrap the work in callContext.run(...)');
  });

  it('run() makes the context current for the work and returns the work’s result', () => {
    const ctx = context('c-1', 'official');
    const result = callContext.run(ctx, () => ({
      current: callContext.current(),
      required: callContext.require(),
      correlationId: callContext.correlationId(),
    }));
    expect(result.current).toBe(ctx);
    expect(result.required).toBe(ctx);
    expect(result.correlationId).toBe('c-1');
  });

  it('the context ends with the call, also when the work throws', () => {
    callContext.run(context('c-1'), () => 'done');
    expect(callContext.current()).toBeUndefined();
    expect(() =>
      callContext.run(context('c-2'), () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(callContext.current()).toBeUndefined();
  });

  it('a nested run() replaces the context for its own work only; the outer one comes back after it', () => {
    const seen = callContext.run(context('outer'), () => {
      const before = callContext.correlationId();
      const inner = callContext.run(context('inner'), () => callContext.correlationId());
      return [before, inner, callContext.correlationId()];
    });
    expect(seen).toEqual(['outer', 'inner', 'outer']);
  });

  it('the context survives awaits, timers and immediates started inside the call', async () => {
    const seen = await callContext.run(context('async'), async () => {
      const ids: Array<string | undefined> = [];
      await Promise.resolve();
      ids.push(callContext.correlationId());
      ids.push(await new Promise<string | undefined>((r) => setTimeout(() => r(callContext.correlationId()), 0)));
      ids.push(await new Promise<string | undefined>((r) => setImmediate(() => r(callContext.correlationId()))));
      return ids;
    });
    expect(seen).toEqual(['async', 'async', 'async']);
  });

  it('concurrent calls never see each other’s context, however their steps interleave', async () => {
    const a = gate();
    const b = gate();
    const steps: string[] = [];
    const step = async (name: string, wait: Promise<void>, then: () => void) => {
      steps.push(`${name}:${callContext.correlationId()}`);
      await wait;
      steps.push(`${name}:${callContext.correlationId()}`);
      then();
    };
    // A and B both start and pause; A resumes first and, when done, lets B resume.
    const first = callContext.run(context('A'), () => step('a', a.opened, () => b.open()));
    const second = callContext.run(context('B'), () => step('b', b.opened, () => undefined));
    a.open();
    await Promise.all([first, second]);
    expect(steps).toEqual(['a:A', 'b:B', 'a:A', 'b:B']);
    expect(callContext.current()).toBeUndefined();
  });

  it('many concurrent calls each keep their own correlation id', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `c-${i}`);
    const seen = await Promise.all(
      ids.map((id, i) =>
        callContext.run(context(id), async () => {
          for (let k = 0; k < i % 5; k++) await Promise.resolve();
          return callContext.correlationId();
        }),
      ),
    );
    expect(seen).toEqual(ids);
  });
});

describe('organisation scopes', () => {
  it('ALL_ORGS is the frozen "all" scope', () => {
    expect(ALL_ORGS).toEqual({ kind: 'all' });
    expect(Object.isFrozen(ALL_ORGS)).toBe(true);
  });

  it('orgsScope keeps a frozen copy of the ids: changing the caller’s array later changes nothing', () => {
    const ids = ['a', 'b'];
    const scope = orgsScope(ids);
    ids.push('c');
    expect(scope).toEqual({ kind: 'orgs', ids: ['a', 'b'] });
    expect(Object.isFrozen(scope)).toBe(true);
  });
});

describe('newCorrelationId', () => {
  it('is a fresh random UUID each time', () => {
    const first = newCorrelationId();
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newCorrelationId()).not.toBe(first);
  });
});
