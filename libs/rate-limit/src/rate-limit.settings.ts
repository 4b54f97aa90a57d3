/** A budget: `points` requests per `durationSeconds`, the window starting with the first of them. */
export interface RateLimitSetting {
  readonly points: number;
  readonly durationSeconds: number;
}

/** A setting that does not read; its message says what is expected and what was given. */
export class RateLimitSettingError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'RateLimitSettingError';
  }
}

const MAX_POINTS = 1_000_000_000;
const MAX_DURATION_SECONDS = 24 * 60 * 60;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };
const FORM = /^(\d{1,10})\s*\/\s*(\d{1,6})?\s*([smh])?$/;

/**
 * Reads `<points>/<duration>`: "600/60s", "600/60" (seconds), "600/1m", "100/m", "5000/1h"; or
 * "off" (no limit: null). Throws RateLimitSettingError for anything else.
 */
export function parseRateLimit(text: string): RateLimitSetting | null {
  const raw = text.trim().toLowerCase();
  if (raw === 'off') return null;
  const match = FORM.exec(raw);
  if (!match) {
    throw new RateLimitSettingError(
      `must be <requests>/<duration> such as 600/60s, 100/1m or 5000/1h, or off (got "${text}")`,
    );
  }
  const points = Number(match[1]);
  const durationSeconds = Number(match[2] ?? '1') * UNIT_SECONDS[match[3] ?? 's'];
  if (points < 1 || points > MAX_POINTS) {
    throw new RateLimitSettingError(`the number of requests must be from 1 to ${MAX_POINTS} (got "${text}")`);
  }
  if (durationSeconds < 1 || durationSeconds > MAX_DURATION_SECONDS) {
    throw new RateLimitSettingError(`the duration must be from 1 s to 24 h (got "${text}")`);
  }
  return { points, durationSeconds };
}

/** "600 requests per 60 s": for messages and logs. */
export function describeRateLimit(setting: RateLimitSetting | null): string {
  if (!setting) return 'off';
  return `${setting.points} request${setting.points === 1 ? '' : 's'} per ${setting.durationSeconds} s`;
}

/**
 * A setting from the environment: `raw` when given (empty counts as unset), else `fallback`.
 * A bad value adds a problem naming `variable` and gives null, for apps that report every bad
 * setting at once (the gateway); others throw on `problems.length`.
 */
export function readRateLimit(
  raw: string | undefined,
  variable: string,
  fallback: string,
  problems: string[],
): RateLimitSetting | null {
  const given = raw?.trim();
  try {
    return parseRateLimit(given ? given : fallback);
  } catch (error) {
    if (!(error instanceof RateLimitSettingError)) throw error;
    problems.push(`${variable}: ${error.problem}`);
    return null;
  }
}
