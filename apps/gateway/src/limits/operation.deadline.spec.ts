import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { withDeadline, withOperationSignal } from './operation.deadline';

const request = {} as GatewayGraphQLRequestContext;

describe('the deadline of an operation', () => {
  it('an operation that does not finish in time answers TIMEOUT, and its subgraph fetches are aborted', async () => {
    let fetchSignal: AbortSignal | undefined;
    const fetcher = withOperationSignal((_url, init) => {
      fetchSignal = init?.signal as AbortSignal;
      return new Promise(() => undefined);
    });
    const hanging: GatewayExecutor = async () => {
      await fetcher('http://subgraph/graphql', { method: 'POST' });
      return { data: {} };
    };
    const result = await withDeadline(hanging, 20)(request);
    expect(result.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/did not finish within 20 ms/),
      extensions: { code: 'TIMEOUT', limit: 20, http: { status: 504 } },
    });
    expect(fetchSignal?.aborted).toBe(true);
  });

  it('an operation that finishes in time answers as it is', async () => {
    const quick: GatewayExecutor = () => Promise.resolve({ data: { me: { login: 'a' } } });
    await expect(withDeadline(quick, 10_000)(request)).resolves.toEqual({ data: { me: { login: 'a' } } });
  });

  it('a fetch outside any operation (schema loads, health checks) has no deadline', async () => {
    let init: unknown;
    const fetcher = withOperationSignal((_url, i) => ((init = i), Promise.reject(new Error('unused'))));
    await expect(fetcher('http://subgraph', { method: 'POST' })).rejects.toThrow('unused');
    expect(init).toEqual({ method: 'POST' });
  });
});
