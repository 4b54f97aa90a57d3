import { ConnectorSource, InboundEvent, InboundVerdict } from './connector';
import { vkConnector } from './vk';

// Bodies written as VK's Callback API documents them (dev.vk.com/ru/api/callback/getting-started
// and the event pages it links): `{ type, event_id, v, object, group_id, secret }`, for a
// community with id 123456 and a citizen with id 1234567.
const GROUP = 123456;
const SOURCE: ConnectorSource = {
  id: 'vk-kalmansky',
  platform: 'VK',
  secrets: ['current-key', 'previous-key'],
  settings: { groupId: GROUP, confirmation: 'a1b2c3d4' },
  credentials: {},
};
const NOW = new Date('2026-11-27T02:00:00Z');
const DATE = 1795742100; // 2026-11-27T01:15:00Z
const POSTED = '2026-11-27T01:15:00.000Z';
const CITIZEN = { id: 'id1234567', url: 'https://vk.com/id1234567' };

const bytes = (text: string) => new TextEncoder().encode(text);

function send(body: unknown, source: ConnectorSource = SOURCE): InboundVerdict {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return vkConnector.receive(
    { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, body: bytes(text) },
    source,
    NOW,
  );
}

const event = (type: string, object: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
  type,
  event_id: '6ddf0c3a4d0ebae1a0b41dc8e4d4c5a1df7a8e55',
  v: '5.199',
  object,
  group_id: GROUP,
  secret: 'current-key',
  ...overrides,
});

/** The events of a delivery; fails on any other verdict. */
function eventsOf(verdict: InboundVerdict): InboundEvent[] {
  if (verdict.kind !== 'DELIVERY') throw new Error(`expected a delivery, got ${JSON.stringify(verdict)}`);
  expect(verdict.reply).toEqual({ status: 200, contentType: 'text/plain', body: 'ok' });
  return verdict.events;
}

/** A comment as wall_reply_new carries it (a WallComment with post_id and post_owner_id). */
const wallComment = (overrides: Record<string, unknown> = {}) => ({
  id: 9,
  from_id: 1234567,
  post_id: 123,
  owner_id: -GROUP,
  parents_stack: [],
  date: DATE,
  thread: { count: 0, items: [], can_post: true, show_reply_button: true },
  text: 'Третий день нет воды на ул. Ленина, когда дадут?',
  post_owner_id: -GROUP,
  ...overrides,
});

describe('VK Callback API: confirmation (the server is being added to the community)', () => {
  it('the community’s own confirmation request is answered with its string, as text', () => {
    expect(send({ type: 'confirmation', group_id: GROUP })).toEqual({
      kind: 'ANSWER',
      reply: { status: 200, contentType: 'text/plain', body: 'a1b2c3d4' },
    });
  });

  it('another community’s is refused (403), and the string is not given', () => {
    expect(send({ type: 'confirmation', group_id: 1 })).toEqual({
      kind: 'REFUSE',
      status: 403,
      reason: "group_id 1 is not this source's community (123456)",
    });
  });

  it('a source without its confirmation string cannot confirm (403, saying which setting)', () => {
    const verdict = send({ type: 'confirmation', group_id: GROUP }, { ...SOURCE, settings: { groupId: GROUP } });
    expect(verdict).toMatchObject({
      kind: 'REFUSE',
      status: 403,
      reason: expect.stringMatching(/settings\.confirmation/),
    });
  });
});

describe('VK Callback API: what is checked before anything is read', () => {
  it('a wrong or missing secret key is 401: a forged request is refused, not answered `ok`', () => {
    for (const secret of ['forged', '', undefined]) {
      expect(send(event('wall_reply_new', wallComment(), { secret }))).toEqual({
        kind: 'REFUSE',
        status: 401,
        reason: 'secret does not match the secret key of this source',
      });
    }
  });

  it('the previous secret key is accepted while a rotation overlaps', () => {
    expect(eventsOf(send(event('wall_reply_new', wallComment(), { secret: 'previous-key' })))).toHaveLength(1);
  });

  it('the right key for another community is 403', () => {
    expect(send(event('wall_reply_new', wallComment(), { group_id: 654321 }))).toMatchObject({
      kind: 'REFUSE',
      status: 403,
    });
  });

  it('a body that is not a JSON object, or has no type, is 400', () => {
    expect(send('{not json')).toMatchObject({ kind: 'REFUSE', status: 400 });
    expect(send([event('wall_reply_new', wallComment())])).toMatchObject({ kind: 'REFUSE', status: 400 });
    expect(send({ ...event('wall_reply_new', wallComment()), type: undefined })).toEqual({
      kind: 'REFUSE',
      status: 400,
      reason: 'type: is required',
    });
  });

  it('a source without its community id is refused (403) rather than trusting any group_id', () => {
    expect(send(event('wall_reply_new', wallComment()), { ...SOURCE, settings: {} })).toMatchObject({
      kind: 'REFUSE',
      status: 403,
      reason: expect.stringMatching(/settings\.groupId/),
    });
  });

  it('the delivery id is VK’s event_id (the same event retried has the same one)', () => {
    expect(send(event('wall_reply_new', wallComment()))).toMatchObject({
      kind: 'DELIVERY',
      deliveryId: '6ddf0c3a4d0ebae1a0b41dc8e4d4c5a1df7a8e55',
      eventType: 'wall_reply_new',
    });
  });

  it('without event_id (API before 5.103) the same bytes are the same delivery', () => {
    const old = { ...event('wall_reply_new', wallComment()), event_id: undefined, v: '5.101' };
    const first = send(old);
    expect(first).toMatchObject({ kind: 'DELIVERY', deliveryId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(send(old)).toMatchObject({ deliveryId: (first as { deliveryId: string }).deliveryId });
  });
});

describe('VK Callback API: comments on the wall (wall_reply_*)', () => {
  it('wall_reply_new is a message: id wall<owner>_<post>_r<comment>, the post its thread, the comment’s link', () => {
    expect(eventsOf(send(event('wall_reply_new', wallComment())))).toEqual([
      {
        type: 'MESSAGE',
        message: {
          externalId: 'wall-123456_123_r9',
          platform: 'VK',
          url: 'https://vk.com/wall-123456_123?reply=9',
          text: 'Третий день нет воды на ул. Ленина, когда дадут?',
          postedAt: POSTED,
          author: CITIZEN,
          threadId: 'wall-123456_123',
          attachments: [],
          raw: wallComment(),
        },
      },
    ]);
  });

  it('a reply within a comment’s thread links into that thread', () => {
    const [reply] = eventsOf(send(event('wall_reply_new', wallComment({ id: 11, parents_stack: [9] }))));
    expect(reply).toMatchObject({ message: { url: 'https://vk.com/wall-123456_123?reply=11&thread=9' } });
  });

  it('a comment by another community is authored by club<id>', () => {
    const [comment] = eventsOf(send(event('wall_reply_new', wallComment({ from_id: -777 }))));
    expect(comment).toMatchObject({ message: { author: { id: 'club777', url: 'https://vk.com/club777' } } });
  });

  it('the community’s own comment is its answer: read as nothing, and said so', () => {
    expect(send(event('wall_reply_new', wallComment({ from_id: -GROUP })))).toMatchObject({
      kind: 'DELIVERY',
      events: [],
      ignored: "wall_reply_new (the community's own comment)",
    });
  });

  it('wall_reply_edit is an edit of the same message (same external id)', () => {
    const [edit] = eventsOf(send(event('wall_reply_edit', wallComment({ text: 'Воды нет четвёртый день' }))));
    expect(edit).toMatchObject({
      type: 'EDIT',
      message: { externalId: 'wall-123456_123_r9', text: 'Воды нет четвёртый день' },
    });
  });

  it('wall_reply_restore is the message again (stored if never seen; otherwise kept as it is)', () => {
    const [restored] = eventsOf(send(event('wall_reply_restore', wallComment())));
    expect(restored).toMatchObject({ type: 'MESSAGE', message: { externalId: 'wall-123456_123_r9' } });
  });

  it('wall_reply_delete marks it, with who deleted it', () => {
    const object = { owner_id: -GROUP, id: 9, deleter_id: 1234567, post_id: 123 };
    expect(eventsOf(send(event('wall_reply_delete', object)))).toEqual([
      { type: 'DELETE', externalId: 'wall-123456_123_r9', deletedBy: 'id1234567' },
    ]);
  });
});

describe('VK Callback API: attachments', () => {
  it('photo (largest size), video, doc, link, audio and a voice message; stickers and polls are left out', () => {
    const attachments = [
      {
        type: 'photo',
        photo: {
          id: 457239017,
          owner_id: 1234567,
          album_id: -3,
          date: DATE,
          sizes: [
            { height: 75, width: 56, type: 's', url: 'https://sun9-1.userapi.com/s.jpg' },
            { height: 1280, width: 960, type: 'w', url: 'https://sun9-1.userapi.com/w.jpg' },
            { height: 604, width: 453, type: 'x', url: 'https://sun9-1.userapi.com/x.jpg' },
          ],
        },
      },
      { type: 'video', video: { id: 456239018, owner_id: 1234567, title: 'Яма', duration: 12 } },
      {
        type: 'doc',
        doc: { id: 1, owner_id: 1234567, title: 'акт.pdf', ext: 'pdf', url: 'https://vk.com/doc1234567_1' },
      },
      { type: 'link', link: { url: 'https://kalmansky.example/news/1', title: 'Новость' } },
      { type: 'audio', audio: { id: 456239019, owner_id: 1234567, artist: 'A', title: 'B' } },
      { type: 'audio_message', audio_message: { duration: 3, link_mp3: 'https://psv4.userapi.com/a.mp3' } },
      { type: 'sticker', sticker: { product_id: 1, sticker_id: 2 } },
      { type: 'poll', poll: { id: 1, owner_id: 1234567, question: '?' } },
    ];
    const [comment] = eventsOf(send(event('wall_reply_new', wallComment({ attachments }))));
    expect((comment as { message: { attachments: unknown } }).message.attachments).toEqual([
      { type: 'PHOTO', url: 'https://sun9-1.userapi.com/w.jpg' },
      { type: 'VIDEO', url: 'https://vk.com/video1234567_456239018' },
      { type: 'DOCUMENT', url: 'https://vk.com/doc1234567_1' },
      { type: 'LINK', url: 'https://kalmansky.example/news/1' },
      { type: 'AUDIO', url: 'https://vk.com/audio1234567_456239019' },
      { type: 'AUDIO', url: 'https://psv4.userapi.com/a.mp3' },
    ]);
  });
});

describe('VK Callback API: suggested posts and users’ posts (wall_post_new)', () => {
  const post = (overrides: Record<string, unknown> = {}) => ({
    id: 28,
    from_id: 1234567,
    owner_id: -GROUP,
    date: DATE,
    marked_as_ads: 0,
    post_type: 'suggest',
    text: 'Предлагаю запись: во дворе по ул. Мира 5 сломаны качели',
    can_edit: 1,
    created_by: 1234567,
    can_delete: 1,
    comments: { count: 0 },
    attachments: [],
    ...overrides,
  });

  it('a suggested post is a message: id and thread wall<owner>_<post>', () => {
    expect(eventsOf(send(event('wall_post_new', post())))).toEqual([
      {
        type: 'MESSAGE',
        message: {
          externalId: 'wall-123456_28',
          platform: 'VK',
          url: 'https://vk.com/wall-123456_28',
          text: 'Предлагаю запись: во дворе по ул. Мира 5 сломаны качели',
          postedAt: POSTED,
          author: CITIZEN,
          threadId: 'wall-123456_28',
          attachments: [],
          raw: post(),
        },
      },
    ]);
  });

  it('a user’s post on an open wall is a message too', () => {
    expect(eventsOf(send(event('wall_post_new', post({ post_type: 'post' }))))).toHaveLength(1);
  });

  it('the community’s own post, and a postponed one, are not', () => {
    expect(send(event('wall_post_new', post({ post_type: 'post', from_id: -GROUP })))).toMatchObject({
      events: [],
      ignored: "wall_post_new (the community's own post)",
    });
    expect(send(event('wall_post_new', post({ post_type: 'postpone', from_id: -GROUP })))).toMatchObject({
      events: [],
    });
  });
});

describe('VK Callback API: private messages to the community (message_new, message_edit)', () => {
  const message = (overrides: Record<string, unknown> = {}) => ({
    date: DATE,
    from_id: 1234567,
    id: 3,
    out: 0,
    attachments: [],
    conversation_message_id: 2,
    fwd_messages: [],
    important: false,
    is_hidden: false,
    peer_id: 1234567,
    random_id: 0,
    text: 'Здравствуйте, когда починят дорогу на Шадрино?',
    ...overrides,
  });
  const clientInfo = {
    button_actions: ['text', 'vkpay', 'open_app', 'location', 'open_link', 'callback'],
    keyboard: true,
    inline_keyboard: true,
    carousel: true,
    lang_id: 0,
  };

  it('message_new (API 5.103+: object.message) is a message: id msg-<peer>_<conversation message id>', () => {
    expect(eventsOf(send(event('message_new', { message: message(), client_info: clientInfo })))).toEqual([
      {
        type: 'MESSAGE',
        message: {
          externalId: 'msg-1234567_2',
          platform: 'VK',
          url: 'https://vk.com/gim123456?sel=1234567',
          text: 'Здравствуйте, когда починят дорогу на Шадрино?',
          postedAt: POSTED,
          author: CITIZEN,
          threadId: 'msg-1234567',
          attachments: [],
          raw: message(),
        },
      },
    ]);
  });

  it('message_new of an older API version (the message as the object itself) reads the same', () => {
    const [read] = eventsOf(send(event('message_new', message(), { v: '5.101' })));
    expect(read).toMatchObject({ type: 'MESSAGE', message: { externalId: 'msg-1234567_2' } });
  });

  it('message_edit is an edit of the same message', () => {
    const [edit] = eventsOf(send(event('message_edit', message({ text: 'Исправил: дорогу на Бураново' }))));
    expect(edit).toMatchObject({
      type: 'EDIT',
      message: { externalId: 'msg-1234567_2', text: 'Исправил: дорогу на Бураново' },
    });
  });

  it('without a conversation message id the message id stands in', () => {
    const [read] = eventsOf(send(event('message_new', { message: message({ conversation_message_id: undefined }) })));
    expect(read).toMatchObject({ message: { externalId: 'msg-1234567_3' } });
  });

  it('the community’s outgoing message (out 1) is its answer: nothing', () => {
    expect(send(event('message_new', { message: message({ out: 1 }) }))).toMatchObject({
      events: [],
      ignored: "message_new (the community's own message)",
    });
  });
});

describe('VK Callback API: comments on photos, videos and discussion boards', () => {
  const comment = { id: 5, from_id: 1234567, date: DATE, text: 'Это у школы, опасно', attachments: [] };

  it('photo_comment_new / _edit / _delete: photo<owner>_<photo>_c<comment>, the photo its thread and link', () => {
    const object = { ...comment, photo_id: 457239020, photo_owner_id: -GROUP };
    expect(eventsOf(send(event('photo_comment_new', object)))).toEqual([
      {
        type: 'MESSAGE',
        message: {
          externalId: 'photo-123456_457239020_c5',
          platform: 'VK',
          url: 'https://vk.com/photo-123456_457239020',
          text: 'Это у школы, опасно',
          postedAt: POSTED,
          author: CITIZEN,
          threadId: 'photo-123456_457239020',
          attachments: [],
          raw: object,
        },
      },
    ]);
    expect(eventsOf(send(event('photo_comment_edit', object)))).toMatchObject([{ type: 'EDIT' }]);
    const deleted = { owner_id: -GROUP, id: 5, user_id: 1234567, deleter_id: 1234567, photo_id: 457239020 };
    expect(eventsOf(send(event('photo_comment_delete', deleted)))).toEqual([
      { type: 'DELETE', externalId: 'photo-123456_457239020_c5', deletedBy: 'id1234567' },
    ]);
  });

  it('video_comment_new / _edit / _delete: video<owner>_<video>_c<comment>', () => {
    const object = { ...comment, video_id: 456239021, video_owner_id: -GROUP };
    expect(eventsOf(send(event('video_comment_new', object)))).toMatchObject([
      {
        type: 'MESSAGE',
        message: {
          externalId: 'video-123456_456239021_c5',
          url: 'https://vk.com/video-123456_456239021',
          threadId: 'video-123456_456239021',
        },
      },
    ]);
    expect(eventsOf(send(event('video_comment_edit', object)))).toMatchObject([{ type: 'EDIT' }]);
    const deleted = { owner_id: -GROUP, id: 5, user_id: 1234567, deleter_id: 99, video_id: 456239021 };
    expect(eventsOf(send(event('video_comment_delete', deleted)))).toEqual([
      { type: 'DELETE', externalId: 'video-123456_456239021_c5', deletedBy: 'id99' },
    ]);
  });

  it('board_post_new / _edit / _delete: topic<owner>_<topic>_p<post>, linked to the post in its topic', () => {
    const object = { ...comment, topic_id: 12, topic_owner_id: -GROUP };
    expect(eventsOf(send(event('board_post_new', object)))).toMatchObject([
      {
        type: 'MESSAGE',
        message: {
          externalId: 'topic-123456_12_p5',
          url: 'https://vk.com/topic-123456_12?post=5',
          threadId: 'topic-123456_12',
        },
      },
    ]);
    expect(eventsOf(send(event('board_post_edit', object)))).toMatchObject([{ type: 'EDIT' }]);
    // VK names no deleter for board posts.
    expect(eventsOf(send(event('board_post_delete', { topic_owner_id: -GROUP, topic_id: 12, id: 5 })))).toEqual([
      { type: 'DELETE', externalId: 'topic-123456_12_p5' },
    ]);
  });
});

describe('VK Callback API: events citizens do not write in', () => {
  it.each([
    ['group_join', { user_id: 1234567, join_type: 'join' }],
    ['group_leave', { user_id: 1234567, self: 1 }],
    ['like_add', { liker_id: 1234567, object_type: 'post', object_owner_id: -GROUP, object_id: 28 }],
    ['wall_repost', { id: 30, from_id: 1234567, owner_id: 1234567, date: DATE, post_type: 'post', text: '' }],
    ['message_reply', { id: 4, from_id: -GROUP, peer_id: 1234567, out: 1, text: 'Ответ' }],
  ])('%s is answered `ok` and reads as nothing, its type named', (type, object) => {
    expect(send(event(type, object))).toMatchObject({ kind: 'DELIVERY', events: [], ignored: type });
  });

  it('a genuine event whose object lacks its ids is answered `ok` (VK would only resend it), said to be malformed', () => {
    expect(send(event('wall_reply_new', { text: 'без id' }))).toMatchObject({
      kind: 'DELIVERY',
      events: [],
      ignored: expect.stringMatching(/^wall_reply_new \(malformed: /),
    });
  });
});
