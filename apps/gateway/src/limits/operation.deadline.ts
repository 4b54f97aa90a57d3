import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type {
  GatewayExecutionResult,
  GatewayExecutor,
  GatewayInterface,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
  GatewayUnsubscriber,
} from '@apollo/server-gateway-interface';
import { AsyncLocalStorage } from 'node:async_hooks';
import { limitError } from './limit.errors';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** The abort signal of the operation running in this async context: its subgraph fetches stop with it. */
const deadlines = new AsyncLocalStorage<AbortSignal>();

export function timeoutRefusal(timeoutMs: number) {
  return limitError(
    'TIMEOUT',
    `the operation did not finish within ${timeoutMs} ms, the limit; a mutation may still have taken effect, so read before retrying it`,
    { limit: timeoutMs },
  );
}

/**
 * Runs an operation with a deadline: past it the client gets a TIMEOUT error at once, and the
 * operation's subgraph fetches still in flight are aborted (their connections closed) rather
 * than left to finish for nobody.
 */
export function withDeadline(executor: GatewayExecutor, timeoutMs: number): GatewayExecutor {
  return (requestContext) => {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<GatewayExecutionResult>((resolve) => {
      timer = setTimeout(() => {
        const refusal = timeoutRefusal(timeoutMs);
        controller.abort(refusal);
        resolve({ errors: [refusal] });
      }, timeoutMs);
    });
    // The race handles the late rejection of an aborted execution; the timer goes when either ends.
    const execution = deadlines.run(controller.signal, () => executor(requestContext));
    return Promise.race([execution, timedOut]).finally(() => clearTimeout(timer));
  };
}

/** A subgraph fetcher that gives up when the operation it serves passes its deadline. */
export function withOperationSignal(fetcher: Fetcher): Fetcher {
  return (url, init) => {
    const signal = deadlines.getStore();
    return fetcher(url, signal ? { ...init, signal } : init);
  };
}

/** A gateway whose every operation (HTTP, WebSocket, subscription entity fetches) runs with a deadline. */
export class DeadlineGateway implements GatewayInterface {
  constructor(
    private readonly inner: GatewayInterface,
    private readonly timeoutMs: number,
  ) {}

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): GatewayUnsubscriber {
    return this.inner.onSchemaLoadOrUpdate(callback);
  }

  async load(options: Parameters<GatewayInterface['load']>[0]): Promise<GatewayLoadResult> {
    const { executor } = await this.inner.load(options);
    return { executor: executor && withDeadline(executor, this.timeoutMs) };
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
