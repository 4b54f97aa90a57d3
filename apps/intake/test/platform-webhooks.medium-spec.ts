import { randomInt, randomUUID } from 'node:crypto';
import { demoOrganization } from '@otklik/demo';
import { errorOf, IntakeUnderTest, staffViewer } from './intake.harness';

// Medium (STYLE.md §13): the real intake app on a fresh database with the demo seed, the real
// NATS, over real HTTP — platform webhooks (/webhooks/{platform}/{sourceId}) through VK's
// Callback API, with bodies written as VK sends them (dev.vk.com/ru/api/callback).

const KALMANSKY = demoOrganization('kalmansky').id;

/** A Callback API request body as VK sends it to the demo community (group 1). */
const vkEvent = (type: string, object: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
  group_id: 1,
  type,
  event_id: randomUUID().replace(/-/g, '').slice(0, 40),
  v: '5.199',
  object,
  secret: 'demo-vk-secret',
  ...overrides,
});

/** A comment on the community's wall, shaped as VK's wall_reply_new object. */
const wallComment = (post: number, id: number, overrides: Record<string, unknown> = {}) => ({
  id,
  from_id: 42,
  date: 1764206100,
  text: 'Третий день нет воды на ул. Ленина, когда дадут?',
  post_owner_id: -1,
  owner_id: -1,
  post_id: post,
  parents_stack: [],
  attachments: [
    {
      type: 'photo',
      photo: {
        id: 457239017,
        owner_id: 42,
        sizes: [
          { type: 's', url: 'https://sun9-1.userapi.com/s.jpg', width: 75, height: 56 },
          { type: 'x', url: 'https://sun9-1.userapi.com/x.jpg', width: 604, height: 453 },
        ],
      },
    },
  ],
  ...overrides,
});

describe('platform webhooks: VK Callback API on the real PostgreSQL and NATS', () => {
  let intake: IntakeUnderTest;
  const vk = (body: unknown, source = 'demo-vk') => intake.webhook(`vk/${source}`, { body });
  /** A post id of its own for each test, so that their comments never meet. */
  const newPost = () => randomInt(1_000, 1_000_000_000);

  const storedMessage = (externalId: string) =>
    intake.sql<{
      id: string;
      organization_id: string;
      text: string;
      url: string;
      thread_id: string;
      author: unknown;
      raw: Record<string, unknown>;
      edited_at: Date | null;
      deleted_at: Date | null;
      deleted_by: string | null;
    }>(
      `select id, organization_id, text, url, thread_id, author, raw, edited_at, deleted_at, deleted_by
         from intake.messages where source_id = 'demo-vk' and external_id = $1`,
      [externalId],
    );
  const deliveries = (eventId: string) =>
    intake.sql<{ event_type: string; outcome: Record<string, unknown>; organization_id: string }>(
      "select event_type, outcome, organization_id from intake.deliveries where source_id = 'demo-vk' and delivery_id = $1",
      [eventId],
    );

  const official = staffViewer('official', 'OFFICIAL', KALMANSKY);
  const MESSAGE = `query ($id: ID!) {
    message(id: $id) { text editedAt deletedAt versions { text attachments { type url } replacedAt } }
  }`;

  beforeAll(async () => {
    intake = await IntakeUnderTest.start('intake_platform');
    // A VK source switched off, its secret sealed as intake stores it.
    await intake.insertSource({
      id: 'retired-vk',
      organizationId: KALMANSKY,
      platform: 'VK',
      kind: 'VK_CALLBACK',
      name: 'retired',
      secret: 'demo-vk-secret',
      settings: { groupId: 1 },
      enabled: false,
    });
  }, 60_000);

  afterAll(async () => {
    await intake?.stop();
  });

  it('confirmation: the demo community is answered its confirmation string, as text', async () => {
    const answer = await vk({ type: 'confirmation', group_id: 1 });
    expect(answer).toEqual({ status: 200, contentType: expect.stringMatching(/^text\/plain/), text: 'demo-confirm' });
  });

  it('confirmation for another community: 403, and the string is not given away', async () => {
    const answer = await vk({ type: 'confirmation', group_id: 2 });
    expect(answer.status).toBe(403);
    expect(errorOf(answer)).toBe("group_id 2 is not this source's community (1)");
    expect(answer.text).not.toContain('demo-confirm');
  });

  it('a wrong secret key: 401 { error }, and nothing is stored', async () => {
    const event = vkEvent('wall_reply_new', wallComment(newPost(), 9), { secret: 'forged' });
    const answer = await vk(event);
    expect(answer.status).toBe(401);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(errorOf(answer)).toBe('secret does not match the secret key of this source');
    expect(await deliveries(event.event_id)).toEqual([]);
  });

  it('the right secret for the wrong community: 403', async () => {
    const answer = await vk(vkEvent('wall_reply_new', wallComment(newPost(), 9), { group_id: 2 }));
    expect(answer.status).toBe(403);
    expect(errorOf(answer)).toMatch(/group_id 2 is not this source's community/);
  });

  it('a comment: answered `ok` after it is stored, and announced on NATS with message.accepted', async () => {
    const postId = newPost();
    const event = vkEvent('wall_reply_new', wallComment(postId, 9));
    const answer = await vk(event);
    expect(answer).toEqual({ status: 200, contentType: expect.stringMatching(/^text\/plain/), text: 'ok' });

    const [stored] = await storedMessage(`wall-1_${postId}_r9`);
    expect(stored).toMatchObject({
      organization_id: KALMANSKY,
      text: 'Третий день нет воды на ул. Ленина, когда дадут?',
      url: `https://vk.com/wall-1_${postId}?reply=9`,
      thread_id: `wall-1_${postId}`,
      author: { id: 'id42', url: 'https://vk.com/id42' },
      edited_at: null,
      deleted_at: null,
    });
    // The comment object is kept, not the body: VK's secret key stays out of the messages.
    expect(stored.raw).toEqual(event.object);
    expect(JSON.stringify(stored.raw)).not.toContain('demo-vk-secret');

    const [accepted] = await intake.events.waitFor(stored.id, 'message.accepted');
    expect(accepted.subject).toBe(`${intake.prefix}.${KALMANSKY}.message.accepted.v1`);
    expect(accepted.envelope.data).toMatchObject({
      sourceId: 'demo-vk',
      platform: 'VK',
      externalId: `wall-1_${postId}_r9`,
      postedAt: '2025-11-27T01:15:00.000Z',
      attachments: [{ type: 'PHOTO', url: 'https://sun9-1.userapi.com/x.jpg' }],
    });
    expect(await deliveries(event.event_id)).toEqual([
      {
        event_type: 'wall_reply_new',
        organization_id: KALMANSKY,
        outcome: expect.objectContaining({ accepted: 1, duplicates: 0, unknownDeleted: [] }),
      },
    ]);
  });

  it('the same event_id again (VK retries): answered `ok` again, stored once, announced once', async () => {
    const postId = newPost();
    const event = vkEvent('wall_reply_new', wallComment(postId, 10));
    const answers = await Promise.all([vk(event), vk(event), vk(event)]);
    expect(answers.map((a) => [a.status, a.text])).toEqual([
      [200, 'ok'],
      [200, 'ok'],
      [200, 'ok'],
    ]);
    expect(await vk(event)).toMatchObject({ status: 200, text: 'ok' });
    const stored = await storedMessage(`wall-1_${postId}_r10`);
    expect(stored).toHaveLength(1);
    expect(await deliveries(event.event_id)).toHaveLength(1);
    await intake.events.waitFor(stored[0].id, 'message.accepted');
    // Events of later transactions are published after it: once a later one has arrived, a
    // second announcement of this message would have too.
    const laterPost = newPost();
    await vk(vkEvent('wall_reply_new', wallComment(laterPost, 1)));
    await intake.events.accepted((await storedMessage(`wall-1_${laterPost}_r1`))[0].id);
    expect(intake.events.of(stored[0].id, 'message.accepted')).toHaveLength(1);
  });

  it('an edit: the new text replaces the old, each earlier version is kept (Message.versions), message.edited announced', async () => {
    const postId = newPost();
    const externalId = `wall-1_${postId}_r11`;
    await vk(vkEvent('wall_reply_new', wallComment(postId, 11, { text: 'Нет воды' })));
    const edit = (text: string, attachments: unknown[] = []) =>
      vk(vkEvent('wall_reply_edit', wallComment(postId, 11, { text, attachments })));
    expect(await edit('Нет воды третий день')).toMatchObject({ status: 200, text: 'ok' });
    expect(await edit('Нет воды третий день, дети без воды')).toMatchObject({ status: 200, text: 'ok' });

    const [stored] = await storedMessage(externalId);
    expect(stored.text).toBe('Нет воды третий день, дети без воды');
    expect(stored.edited_at).toBeInstanceOf(Date);
    const result = await intake.graphql(MESSAGE, { id: stored.id }, official);
    expect(result.errors).toBeUndefined();
    const message = result.data?.message as { versions: Array<{ replacedAt: string }> };
    expect(message).toEqual({
      text: 'Нет воды третий день, дети без воды',
      editedAt: expect.any(String),
      deletedAt: null,
      versions: [
        {
          text: 'Нет воды',
          attachments: [{ type: 'PHOTO', url: 'https://sun9-1.userapi.com/x.jpg' }],
          replacedAt: expect.any(String),
        },
        { text: 'Нет воды третий день', attachments: [], replacedAt: expect.any(String) },
      ],
    });
    expect(Date.parse(message.versions[0].replacedAt)).toBeLessThanOrEqual(Date.parse(message.versions[1].replacedAt));

    const edited = await intake.events.waitFor(stored.id, 'message.edited', 2);
    expect(edited.map((e) => e.envelope.data)).toEqual([
      expect.objectContaining({ text: 'Нет воды третий день', previousVersions: 1, screening: { reasons: [] } }),
      expect.objectContaining({ text: 'Нет воды третий день, дети без воды', previousVersions: 2 }),
    ]);
    expect(edited[0].subject).toBe(`${intake.prefix}.${KALMANSKY}.message.edited.v1`);
  });

  it('an edit that changes nothing keeps no version; an edit of a comment never seen is accepted as new', async () => {
    const postId = newPost();
    await vk(vkEvent('wall_reply_new', wallComment(postId, 12)));
    await vk(vkEvent('wall_reply_edit', wallComment(postId, 12)));
    const [same] = await storedMessage(`wall-1_${postId}_r12`);
    expect(same.edited_at).toBeNull();
    expect((await intake.graphql(MESSAGE, { id: same.id }, official)).data?.message).toMatchObject({ versions: [] });

    const unseen = vkEvent('wall_reply_edit', wallComment(postId, 13, { text: 'Исправленный текст' }));
    expect(await vk(unseen)).toMatchObject({ status: 200, text: 'ok' });
    const [created] = await storedMessage(`wall-1_${postId}_r13`);
    expect(created).toMatchObject({ text: 'Исправленный текст', edited_at: null });
    await intake.events.waitFor(created.id, 'message.accepted');
    expect((await deliveries(unseen.event_id))[0].outcome).toMatchObject({ accepted: 1, edited: 0 });
  });

  it('a deletion marks the message with when and by whom, never erases it, and announces message.deleted', async () => {
    const postId = newPost();
    await vk(vkEvent('wall_reply_new', wallComment(postId, 14)));
    const deletion = vkEvent('wall_reply_delete', { owner_id: -1, id: 14, deleter_id: 42, post_id: postId });
    expect(await vk(deletion)).toMatchObject({ status: 200, text: 'ok' });

    const [stored] = await storedMessage(`wall-1_${postId}_r14`);
    expect(stored).toMatchObject({
      text: 'Третий день нет воды на ул. Ленина, когда дадут?',
      deleted_by: 'id42',
      deleted_at: expect.any(Date),
    });
    const [deleted] = await intake.events.waitFor(stored.id, 'message.deleted');
    expect(deleted.envelope.data).toEqual({
      messageId: stored.id,
      sourceId: 'demo-vk',
      platform: 'VK',
      externalId: `wall-1_${postId}_r14`,
      deletedAt: stored.deleted_at?.toISOString(),
      deletedBy: 'id42',
    });
    expect((await intake.graphql(MESSAGE, { id: stored.id }, official)).data?.message).toMatchObject({
      deletedAt: stored.deleted_at?.toISOString(),
    });

    // Deleted again (another server's event): still one mark, one event.
    await vk(vkEvent('wall_reply_delete', { owner_id: -1, id: 14, deleter_id: 7, post_id: postId }));
    expect((await storedMessage(`wall-1_${postId}_r14`))[0].deleted_by).toBe('id42');
  });

  it('a deletion of a comment never received is recorded in the delivery only', async () => {
    const postId = newPost();
    const deletion = vkEvent('wall_reply_delete', { owner_id: -1, id: 15, deleter_id: 42, post_id: postId });
    expect(await vk(deletion)).toMatchObject({ status: 200, text: 'ok' });
    expect(await storedMessage(`wall-1_${postId}_r15`)).toEqual([]);
    expect((await deliveries(deletion.event_id))[0].outcome).toMatchObject({
      deleted: 0,
      unknownDeleted: [`wall-1_${postId}_r15`],
    });
  });

  it('an event citizens do not write in (group_join) is answered `ok` and recorded as ignored', async () => {
    const event = vkEvent('group_join', { user_id: 42, join_type: 'join' });
    expect(await vk(event)).toEqual({
      status: 200,
      contentType: expect.stringMatching(/^text\/plain/),
      text: 'ok',
    });
    expect(await deliveries(event.event_id)).toEqual([
      expect.objectContaining({
        event_type: 'group_join',
        outcome: expect.objectContaining({ ignored: 'group_join' }),
      }),
    ]);
  });

  it("the community's own comment is its answer, not a citizen's message: `ok`, nothing stored", async () => {
    const postId = newPost();
    expect(await vk(vkEvent('wall_reply_new', wallComment(postId, 16, { from_id: -1 })))).toMatchObject({
      text: 'ok',
    });
    expect(await storedMessage(`wall-1_${postId}_r16`)).toEqual([]);
  });

  it('a private message to the community is stored by its conversation id', async () => {
    const peer = newPost();
    const event = vkEvent('message_new', {
      message: {
        date: 1764206100,
        from_id: peer,
        id: 301,
        out: 0,
        peer_id: peer,
        text: 'Здравствуйте, когда починят дорогу?',
        conversation_message_id: 7,
        attachments: [],
        fwd_messages: [],
        important: false,
        is_hidden: false,
      },
      client_info: { button_actions: ['text'], keyboard: true, inline_keyboard: true, lang_id: 0 },
    });
    expect(await vk(event)).toMatchObject({ status: 200, text: 'ok' });
    const [stored] = await storedMessage(`msg-${peer}_7`);
    expect(stored).toMatchObject({ text: 'Здравствуйте, когда починят дорогу?', thread_id: `msg-${peer}` });
  });

  it('an unknown platform, an unknown or disabled source, a source of another kind: 404 { error }', async () => {
    const event = vkEvent('wall_reply_new', wallComment(newPost(), 1));
    const nowhere = await intake.webhook('myspace/demo-vk', { body: event });
    expect(nowhere.status).toBe(404);
    expect(errorOf(nowhere)).toMatch(/^no platform webhook "myspace" \(there are: generic, .*vk/);
    const unknown = await vk(event, 'no-such-source');
    expect([unknown.status, errorOf(unknown)]).toEqual([404, 'no source "no-such-source"']);
    const retired = await vk(event, 'retired-vk');
    expect([retired.status, errorOf(retired)]).toEqual([404, 'source "retired-vk" is disabled']);
    const generic = await vk(event, 'demo-webhook');
    expect([generic.status, errorOf(generic)]).toEqual([
      404,
      'source "demo-webhook" is a GENERIC_WEBHOOK source, not a VK_CALLBACK one',
    ]);
    const get = await intake.webhook('vk/demo-vk', { method: 'GET' });
    expect([get.status, errorOf(get)]).toEqual([404, 'the vk webhook takes POST, not GET']);
  });

  it('a body that is not JSON: 400 { error }', async () => {
    const answer = await vk('{not json');
    expect([answer.status, errorOf(answer)]).toEqual([
      400,
      'the body is not a JSON object (VK sends one event as JSON)',
    ]);
  });
});
