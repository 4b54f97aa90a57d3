import { randomUUID } from 'node:crypto';
import { IntakeUnderTest, postGenericWebhook, RunningIntake } from './intake.harness';

// Medium (STYLE.md §13): two replicas of the real intake app on one fresh database, over real
// HTTP. The webhooks' rate limits (docs/security.md "Rate limits") with small budgets: per source
// whatever the request carries, per address for paths naming no source, shared by the replicas,
// answered 429 with Retry-After before the request is checked or stored.

const PER_SOURCE = 3;
const UNKNOWN_PER_ADDRESS = 2;

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { error?: string; limit?: string; retryAfterSeconds?: number };
}

const message = () => ({ externalId: `post-${randomUUID()}`, text: 'Нет воды', postedAt: new Date().toISOString() });

describe('webhook rate limits: per source and per address for unknown sources, shared by replicas', () => {
  let intake: IntakeUnderTest;
  let replica: RunningIntake;
  const saved = { ...process.env };

  beforeAll(async () => {
    // Read by WebhooksModule as each replica starts (this file's own copy of the environment).
    process.env.INTAKE_WEBHOOK_RATE_LIMIT = `${PER_SOURCE}/60s`;
    process.env.INTAKE_WEBHOOK_UNKNOWN_SOURCE_RATE_LIMIT = `${UNKNOWN_PER_ADDRESS}/60s`;
    intake = await IntakeUnderTest.start('intake_rate_limit');
    replica = await intake.replica();
  }, 60_000);

  afterAll(async () => {
    await replica?.app.close();
    await intake?.stop();
    process.env = saved;
  });

  /** A request to /webhooks/<path> as a platform sends it, with the answer's Retry-After. */
  const send = async (
    at: { url: string },
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const response = await fetch(`${at.url}/webhooks/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: text.startsWith('{') ? (JSON.parse(text) as Answer['body']) : {},
    };
  };

  const expectRefused = (answer: Answer, limit: string) => {
    expect(answer.status).toBe(429);
    const wait = Number(answer.retryAfter);
    expect(Number.isInteger(wait) && wait >= 1 && wait <= 60).toBe(true);
    expect(answer.body).toEqual({
      error: `too many requests: the "${limit}" limit is ${limit === 'source' ? PER_SOURCE : UNKNOWN_PER_ADDRESS} requests per 60 s; try again in ${wait} s`,
      limit,
      retryAfterSeconds: wait,
    });
  };

  it('a source’s budget is spent by whatever is sent to it — signed or not — on any replica; then 429 with Retry-After, and nothing is stored', async () => {
    const unsigned = await postGenericWebhook(intake, message(), { signature: null });
    expect(unsigned.status).toBe(401);
    expect((await postGenericWebhook(replica, message())).status).toBe(202);
    expect((await postGenericWebhook(intake, message())).status).toBe(202);

    const refused = message();
    const answer = await send(replica, 'generic/demo-webhook', refused, {
      'x-otklik-signature': 'sha256=whatever: not checked',
    });
    expectRefused(answer, 'source');
    const genuine = await postGenericWebhook(intake, refused);
    expect(genuine.status).toBe(429);
    expect(genuine.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await intake.sql('select 1 from intake.messages where external_id = $1', [refused.externalId])).toEqual([]);
  });

  it('another source has a budget of its own: its platform webhook is refused after its own three requests', async () => {
    const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' } } };
    const wrongSecret = { 'x-telegram-bot-api-secret-token': 'not-the-secret' };
    for (const at of [intake, replica, intake]) {
      expect((await send(at, 'telegram/demo-telegram', update, wrongSecret)).status).toBe(401);
    }
    expectRefused(await send(replica, 'telegram/demo-telegram', update, wrongSecret), 'source');
  });

  it('paths naming no source count against the sender’s address, whatever id they name: a flood of random ids is limited too', async () => {
    expect((await send(intake, `generic/nope-${randomUUID()}`, message())).status).toBe(404);
    expect((await send(replica, `vk/nope-${randomUUID()}`, message())).status).toBe(404);
    expectRefused(await send(intake, `generic/nope-${randomUUID()}`, message()), 'unknown-source');
    // The known sources' budgets are not touched by it.
    const vk = await send(intake, 'vk/demo-vk', { type: 'confirmation', group_id: 1, secret: 'demo-vk-secret' });
    expect(vk.status).toBe(200);
  });
});
