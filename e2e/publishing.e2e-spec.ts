import { randomUUID } from 'node:crypto';
import { FakeTelegramApi, FakeVkApi, Stack, startFakeTelegramApi, startFakeVkApi, waitFor } from '@otklik/testing';
import { CaseClient } from './support/cases';
import { graphql, Subscription } from './support/clients';
import { E2eStack, startE2eStack } from './support/stack';

// Step 5 end to end: the four apps as processes, VK_API_URL and TELEGRAM_API_URL pointed at local
// servers that speak the platforms' APIs. A citizen writes on VK or Telegram; the answer the
// official approves through the gateway comes back there as a reply, and the case says so.

const CASE_FIELDS = 'id status history { action actor reason } publications { id kind status url error }';

interface CaseView {
  id: string;
  status: string;
  history: Array<{ action: string; actor: string; reason: string | null }>;
  publications: Array<{ id: string; kind: string; status: string; url: string | null; error: string | null }>;
}

interface CaseEvent {
  caseEvents: { type: string; action: string | null; case: { id: string; status: string } };
}

const VK_TOKEN = 'demo-vk-token';
const TG_TOKEN = '123456:demo-telegram-token';
const TG_CHAT = {
  id: -1001234567,
  type: 'supergroup' as const,
  username: 'kalmansky_residents',
  title: 'Калманский район',
};

describe('Step 5 end to end: an approved answer stands under the citizen’s message on VK and Telegram', () => {
  let vk: FakeVkApi;
  let telegram: FakeTelegramApi;
  let stack: Stack;
  let e2e: E2eStack | undefined;
  let cases: CaseClient<CaseView>;
  let housingId: string;

  /** The case opened for the message whose URL is `url`, once workflow has it. */
  const caseOfMessage = (url: string): Promise<string> => cases.caseOf(url, (message) => message.url === url);

  /** A citizen's comment under the community's post 5, as VK's Callback API delivers it to intake. */
  async function vkComment(text: string): Promise<{ caseId: string; commentId: number }> {
    const commentId = 100 + Math.floor(Math.random() * 1_000_000);
    const response = await fetch(`${stack.urls.intake}/webhooks/vk/demo-vk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        group_id: 1,
        type: 'wall_reply_new',
        event_id: randomUUID().replace(/-/g, ''),
        v: '5.199',
        secret: 'demo-vk-secret',
        object: {
          id: commentId,
          from_id: 42,
          date: Math.floor(Date.now() / 1000),
          text,
          post_owner_id: -1,
          owner_id: -1,
          post_id: 5,
          parents_stack: [],
        },
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    const url = `https://vk.com/wall-1_5?reply=${commentId}`;
    return { caseId: await caseOfMessage(url), commentId };
  }

  /** route → register → assign → submit → approve, each through the gateway as its role. */
  async function answer(caseId: string, text: string): Promise<CaseView> {
    await cases.step('official', 'routeCase', { caseId, organizationId: housingId });
    await cases.step('reception', 'registerCase', { caseId });
    await cases.step('reception', 'assignCase', { caseId, executorLogin: 'executor' });
    await cases.step('executor', 'submitDraft', { caseId, kind: 'FINAL', text });
    const approved = await cases.step('official', 'approveDraft', { caseId });
    expect(approved.publications).toEqual([expect.objectContaining({ status: 'PENDING' })]);
    return approved;
  }

  // The publication and the history line are written in one transaction, but each GraphQL field
  // is read in its own: wait for both.
  const LAST_ACTION: Record<string, string> = { PUBLISHED: 'ANSWER_PUBLISHED', FAILED: 'PUBLICATION_FAILED' };
  const settled = (caseId: string, status: string) =>
    waitFor(
      `case ${caseId}'s publication to be ${status}`,
      async () => {
        const kase = await cases.byId(caseId);
        const done = kase.publications[0]?.status === status && kase.history.at(-1)?.action === LAST_ACTION[status];
        return done ? kase : undefined;
      },
      20_000,
    );

  beforeAll(async () => {
    vk = await startFakeVkApi({ groupId: 1, communityTokens: [VK_TOKEN] });
    telegram = await startFakeTelegramApi({ token: TG_TOKEN, chats: [TG_CHAT] });
    e2e = await startE2eStack('e2e_publishing', { VK_API_URL: vk.url, TELEGRAM_API_URL: telegram.url });
    stack = e2e.stack;
    cases = await CaseClient.open<CaseView>(stack, CASE_FIELDS, ['official', 'reception', 'executor']);
    const organizations = await graphql<{ organizations: Array<{ id: string; code: string }> }>(
      stack.graphqlUrl,
      cases.token('official'),
      '{ organizations { id code } }',
    );
    housingId = organizations.data?.organizations.find((o) => o.code === 'kalmansky.housing')?.id as string;
  }, 120_000);

  afterAll(async () => {
    await e2e?.stop();
    await vk?.close();
    await telegram?.close();
  });

  it('VK: the answer is a community reply to the citizen’s comment; the case shows PUBLISHED with its address, live', async () => {
    const feed = new Subscription<CaseEvent>(
      stack.websocketUrl,
      cases.token('official'),
      'subscription { caseEvents { type action case { id status } } }',
    );
    await feed.started;
    const { caseId, commentId } = await vkComment('Третий день нет воды на ул. Ленина, когда дадут?');
    const text = 'Участок трубы заменён, вода подана 30 ноября. Спасибо, что сообщили.';
    const approved = await answer(caseId, text);

    const kase = await settled(caseId, 'PUBLISHED');
    const calls = vk.callsOf('wall.createComment');
    expect(calls).toHaveLength(1);
    expect(calls[0].params).toMatchObject({
      owner_id: '-1',
      post_id: '5',
      reply_to_comment: String(commentId),
      from_group: '1',
      message: text,
      guid: approved.publications[0].id,
    });
    const [reply] = vk.comments;
    expect(kase.publications[0]).toMatchObject({ kind: 'FINAL', error: null });
    expect(kase.publications[0].url).toContain(`https://vk.com/wall-1_5?reply=${reply.id}`);
    expect(kase.history.at(-1)).toMatchObject({ action: 'ANSWER_PUBLISHED', actor: 'system' });

    const published = await waitFor(
      'PUBLISHED on caseEvents',
      () => feed.received.find((e) => e.caseEvents.case.id === caseId && e.caseEvents.type === 'PUBLISHED'),
      15_000,
    );
    expect(published.caseEvents).toMatchObject({ action: 'ANSWER_PUBLISHED', case: { status: 'ANSWERED' } });
    await feed.close();
  }, 90_000);

  it('Telegram: the answer replies to the citizen’s message in its chat; the case shows PUBLISHED with the message’s link', async () => {
    const messageId = 7000 + Math.floor(Math.random() * 100_000);
    const response = await fetch(`${stack.urls.intake}/webhooks/telegram/demo-telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'demo-tg-secret' },
      body: JSON.stringify({
        update_id: messageId,
        message: {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: TG_CHAT,
          from: { id: 4242, is_bot: false, first_name: 'Анна' },
          text: 'На остановке у школы третий день не горит фонарь, дети ходят в темноте',
        },
      }),
    });
    expect(response.status).toBe(200);
    const caseId = await caseOfMessage(`https://t.me/${TG_CHAT.username}/${messageId}`);
    const text = 'Фонарь заменят завтра до 18:00.';
    await answer(caseId, text);

    const kase = await settled(caseId, 'PUBLISHED');
    const calls = telegram.callsOf('sendMessage');
    expect(calls).toHaveLength(1);
    expect(calls[0].params).toMatchObject({
      chat_id: String(TG_CHAT.id),
      text,
      reply_parameters: expect.objectContaining({ message_id: messageId }),
    });
    const [sent] = telegram.sent;
    expect(kase.publications[0].url).toBe(`https://t.me/${TG_CHAT.username}/${sent.message_id}`);
  }, 90_000);

  it('a permanent failure (the community’s key revoked): FAILED with the reason on the case, and the official told', async () => {
    vk.revoke(VK_TOKEN);
    const { caseId } = await vkComment('Яма на дороге у дома 12 по ул. Мира, машины бьют колёса');
    await answer(caseId, 'Яму засыплют до пятницы.');
    const failed = await settled(caseId, 'FAILED');
    expect(failed.publications[0].error).toMatch(/Ключ доступа сообщества ВКонтакте отозван или неверен/);
    expect(failed.history.at(-1)).toMatchObject({ action: 'PUBLICATION_FAILED', actor: 'system' });

    const told = await waitFor(
      'the official’s notification',
      async () => {
        const feed = await graphql<{
          notifications: { edges: Array<{ node: { kind: string; text: string; case: { id: string } | null } }> };
        }>(
          stack.graphqlUrl,
          cases.token('official'),
          '{ notifications(first: 50) { edges { node { kind text case { id } } } } }',
        );
        return feed.data?.notifications.edges.find(
          (e) => e.node.kind === 'PUBLICATION_FAILED' && e.node.case?.id === caseId,
        )?.node;
      },
      20_000,
    );
    expect(told.text).toContain('Ответ по обращению не опубликован: Ключ доступа сообщества ВКонтакте отозван');
  }, 90_000);
});
