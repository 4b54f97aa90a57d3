import { parseDurationSeconds, readTokenPolicy } from './jwt.settings';

describe('token policy settings', () => {
  const read = (env: Record<string, string>) => (name: string) => env[name];

  it('defaults: RS256 and ES256 from a JWKS; tokens of at most 1 h in production, 12 h in development', () => {
    const problems: string[] = [];
    expect(readTokenPolicy(read({}), { production: true, jwks: true }, problems)).toEqual({
      algorithms: ['RS256', 'ES256'],
      maxTokenLifetimeSeconds: 3600,
    });
    expect(readTokenPolicy(read({}), { production: false, jwks: false }, problems).maxTokenLifetimeSeconds).toBe(
      12 * 3600,
    );
    expect(problems).toEqual([]);
  });

  it('AUTH_JWT_ALGORITHMS: asymmetric only, never none or HS*, and only with a JWKS', () => {
    const problems: string[] = [];
    expect(
      readTokenPolicy(read({ AUTH_JWT_ALGORITHMS: 'ES256, EdDSA' }), { production: true, jwks: true }, problems)
        .algorithms,
    ).toEqual(['ES256', 'EdDSA']);
    readTokenPolicy(read({ AUTH_JWT_ALGORITHMS: 'RS256,HS256,none' }), { production: true, jwks: true }, problems);
    readTokenPolicy(read({ AUTH_JWT_ALGORITHMS: 'RS256' }), { production: false, jwks: false }, problems);
    expect(problems).toEqual([
      expect.stringMatching(/^AUTH_JWT_ALGORITHMS: HS256, none not accepted from a JWKS/),
      expect.stringMatching(/^AUTH_JWT_ALGORITHMS: only with AUTH_JWKS_URL/),
    ]);
  });

  it('AUTH_MAX_TOKEN_LIFETIME: seconds or 15m / 1h, from 60 s to 24 h', () => {
    expect([parseDurationSeconds('900'), parseDurationSeconds('15m'), parseDurationSeconds('2h')]).toEqual([
      900, 900, 7200,
    ]);
    const problems: string[] = [];
    for (const value of ['30s', '25h', 'soon'])
      readTokenPolicy(read({ AUTH_MAX_TOKEN_LIFETIME: value }), { production: true, jwks: true }, problems);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^AUTH_MAX_TOKEN_LIFETIME: must be a duration from 60s to 24h/);
  });
});
