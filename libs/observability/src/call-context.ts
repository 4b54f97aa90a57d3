import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * Which organisations' rows a unit of work may touch. `all` is for system work only
 * (outbox relay, seeds, lookups that must precede knowing the organisation).
 */
export type OrgScope = { readonly kind: 'all' } | { readonly kind: 'orgs'; readonly ids: readonly string[] };

export const ALL_ORGS: OrgScope = Object.freeze({ kind: 'all' });
export const orgsScope = (ids: readonly string[]): OrgScope => Object.freeze({ kind: 'orgs', ids: [...ids] });

/** What every request or event handler carries: who, for which organisations, under which correlation id. */
export interface CallContext {
  readonly correlationId: string;
  readonly orgScope: OrgScope;
  /** The acting user's login or a service name, for logs and audit. */
  readonly actor?: string;
}

const storage = new AsyncLocalStorage<CallContext>();

export const callContext = {
  run<T>(context: CallContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): CallContext | undefined {
    return storage.getStore();
  },
  /** The current context; throws when code that needs one runs outside of it (a bug, not bad input). */
  require(): CallContext {
    const context = storage.getStore();
    if (!context) throw new Error('no call context: wrap the work in callContext.run(...)');
    return context;
  },
  correlationId(): string | undefined {
    return storage.getStore()?.correlationId;
  },
};

export const newCorrelationId = (): string => randomUUID();
