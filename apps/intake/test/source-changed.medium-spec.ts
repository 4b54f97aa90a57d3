import { SourceChanged, SourceChangedV1, sourceCredentialsContext } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { keyringFromEnvironment, SecretBox } from '@otklik/secrets';
import { waitFor } from '@otklik/testing';
import { EVERY_ORGANIZATION, IntakeUnderTest, staffViewer } from './intake.harness';

// Medium (STYLE.md §13): intake tells notify what each source is (source.changed, Step 5) in the
// transaction that changes it — the credentials sealed for the event, never plaintext on NATS.

const KALMANSKY = demoOrganization('kalmansky').id;
const official = staffViewer('official', 'OFFICIAL', KALMANSKY, EVERY_ORGANIZATION);

describe('intake: source.changed carries each source’s latest state to notify, its credentials sealed', () => {
  // The keys intake seals with (OTKLIK_SECRET_KEYS, or the development key in tests): notify shares them.
  const box = new SecretBox(keyringFromEnvironment(process.env, { production: false }).keyring);
  let intake: IntakeUnderTest;

  /** kalmansky's source.changed of `sourceId`, once `count` of them are on the stream: the raw text and the envelope. */
  const ofSource = (sourceId: string, count: number) =>
    waitFor(`${count} source.changed of ${sourceId}`, () => {
      const found = intake.events.ofType(SourceChanged, KALMANSKY).filter((a) => a.envelope.data.sourceId === sourceId);
      return found.length >= count ? found : undefined;
    });

  const open = (data: SourceChangedV1): unknown =>
    data.credentialsCiphertext === undefined
      ? undefined
      : JSON.parse(box.open(data.credentialsCiphertext, sourceCredentialsContext(data.sourceId)));

  const mutate = async (query: string, input: Record<string, unknown>) => {
    const answer = await intake.graphql(query, { input }, official);
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  };

  beforeAll(async () => {
    intake = await IntakeUnderTest.start('intake_source_changed');
  }, 60_000);

  afterAll(async () => {
    await intake?.stop();
  });

  it('the demo seed announces its VK and Telegram accounts, the tokens sealed: no plaintext on the bus', async () => {
    const [vk] = await ofSource('demo-vk', 1);
    const [telegram] = await ofSource('demo-telegram', 1);
    expect(vk.envelope.data).toMatchObject({
      organizationId: KALMANSKY,
      platform: 'VK',
      kind: 'VK_CALLBACK',
      enabled: true,
      settings: { groupId: 1, confirmation: 'demo-confirm', publicUrl: 'https://vk.com/club1' },
      credentialNames: ['accessToken'],
    });
    expect(open(vk.envelope.data)).toEqual({ accessToken: 'demo-vk-token' });
    expect(open(telegram.envelope.data)).toEqual({ botToken: '123456:demo-telegram-token' });
    for (const { raw } of [vk, telegram]) {
      for (const plaintext of ['demo-vk-token', 'demo-telegram-token', 'demo-vk-secret', 'demo-tg-secret']) {
        expect(raw).not.toContain(plaintext);
      }
    }
    // Sealed for this source alone: moved into another source's event, it does not open.
    expect(() =>
      box.open(vk.envelope.data.credentialsCiphertext as string, sourceCredentialsContext('demo-telegram')),
    ).toThrow(/does not authenticate/);
  });

  it('every change is announced, each with a greater version: credentials set, settings changed, turned off', async () => {
    await mutate('mutation ($input: CreateSourceInput!) { createSource(input: $input) { source { id } } }', {
      organizationId: KALMANSKY,
      id: 'vk-second',
      platform: 'VK',
      kind: 'VK_CALLBACK',
      name: 'Второе сообщество',
      settings: { groupId: 2, confirmation: 'abc' },
    });
    await mutate('mutation ($input: SetSourceCredentialsInput!) { setSourceCredentials(input: $input) { id } }', {
      sourceId: 'vk-second',
      credentials: [{ name: 'accessToken', value: 'second-token' }],
    });
    await mutate('mutation ($input: UpdateSourceInput!) { updateSource(input: $input) { id } }', {
      id: 'vk-second',
      enabled: false,
    });
    const events = (await ofSource('vk-second', 3)).map((a) => a.envelope.data);
    expect(events.map((e) => [e.enabled, e.credentialNames])).toEqual([
      [true, []],
      [true, ['accessToken']],
      [false, ['accessToken']],
    ]);
    expect(events[0].credentialsCiphertext).toBeUndefined();
    expect(open(events[2])).toEqual({ accessToken: 'second-token' });
    expect(events[1].version).toBeGreaterThan(events[0].version);
    expect(events[2].version).toBeGreaterThan(events[1].version);
  });

  it('a source no change ever announced (made before announcing existed) is announced when intake starts', async () => {
    await intake.insertSource({
      id: 'tg-older',
      organizationId: KALMANSKY,
      platform: 'TELEGRAM',
      kind: 'TELEGRAM_BOT',
      secret: 'older-secret',
      credentials: { botToken: '42:older-token' },
    });
    expect(intake.events.ofType(SourceChanged, KALMANSKY).some((a) => a.envelope.data.sourceId === 'tg-older')).toBe(
      false,
    );
    const replica = await intake.replica();
    try {
      const [announced] = await ofSource('tg-older', 1);
      expect(announced.envelope.data).toMatchObject({ kind: 'TELEGRAM_BOT', credentialNames: ['botToken'] });
      expect(open(announced.envelope.data)).toEqual({ botToken: '42:older-token' });
      // Every other source again too, each with a version later than its last change's.
      const [, , disabled, again] = await ofSource('vk-second', 4);
      expect(again.envelope.data).toMatchObject({ enabled: false, credentialNames: ['accessToken'] });
      expect(again.envelope.data.version).toBeGreaterThan(disabled.envelope.data.version);
    } finally {
      await replica.app.close();
    }
  });
});
