import { randomUUID } from 'node:crypto';
import {
  CaseTransitioned,
  CaseTransitionedV1,
  DeadlineAtRisk,
  DeadlineAtRiskV1,
  DeadlineBreached,
  DeadlineBreachedV1,
} from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { FakeTelegramApi, ReceivedMail, SmtpSink, startFakeTelegramApi, startSmtpSink, waitFor } from '@otklik/testing';
import { DeliveryClock } from '../src/delivery/delivery.clock';
import { DeliveryWorker } from '../src/delivery/delivery.worker';
import { BOT_TEXT } from '../src/delivery/telegram-link.service';
import { demoUser, NotifyUnderTest, viewerOf } from './notify.harness';

// Medium test: the real notify app (HTTP, PostgreSQL, JetStream) sending through a real SMTP server
// on loopback and a local server speaking Telegram's Bot API; events in through JetStream.

const KALMANSKY = demoOrganization('kalmansky').id;
const official = demoUser('official');
const executor = demoUser('executor');
const head = demoUser('head');
const BOT_TOKEN = '123456:staff-bot-token-0123456789abcdef';
const WEBHOOK_SECRET = 'staff-hook-secret';
const APP_URL = 'https://otklik.example';
const OFFICIAL_CHAT = 424242;
/** Monday 30 November 2026, 10:00 in Barnaul: inside the working day. */
const MONDAY_MORNING = new Date('2026-11-30T10:00:00+07:00');
/** The same Monday, 22:00 in Barnaul. */
const MONDAY_NIGHT = new Date('2026-11-30T22:00:00+07:00');
/** Tuesday 1 December, 09:00 in Barnaul: the digest's moment. */
const TUESDAY_DIGEST = new Date('2026-12-01T09:00:00+07:00');

interface DeliveryView {
  channel: string;
  status: string;
  digest: boolean;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
}

const DELIVERIES = `query ($id: ID!) {
  notificationDeliveries(notificationId: $id) { channel status digest attempts nextAttemptAt lastError sentAt }
}`;

describe('notify tells staff by e-mail and Telegram: preferences, working hours, the delivery log', () => {
  let notify: NotifyUnderTest;
  let smtp: SmtpSink;
  let telegram: FakeTelegramApi;
  let clock: DeliveryClock;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    telegram = await startFakeTelegramApi({ token: BOT_TOKEN });
    const settings: Record<string, string> = {
      SMTP_URL: smtp.url,
      NOTIFY_TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      NOTIFY_TELEGRAM_BOT_USERNAME: 'otklik_staff_bot',
      NOTIFY_TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_API_URL: telegram.url,
      OTKLIK_APP_URL: APP_URL,
    };
    // notify reads these at start, like every setting (this file's process only).
    Object.assign(process.env, settings);
    notify = await NotifyUnderTest.start('notify_delivery');
    const worker = notify.app.get(DeliveryWorker);
    worker.intervalMs = 50;
    worker.retry = { maxAttempts: 3, baseMs: 20, maxMs: 100 };
    clock = notify.app.get(DeliveryClock);
    clock.setTo(MONDAY_MORNING);
    await notify.appoint(official, KALMANSKY, 'OFFICIAL');
    await notify.appoint(head, KALMANSKY, 'HEAD');
    const { seq } = await notify.appoint(executor, KALMANSKY, 'EXECUTOR');
    await notify.handledUpTo('staff-projection', seq);
  });

  afterAll(async () => {
    await notify?.stop();
    await smtp?.close();
    await telegram?.close();
  });

  /** A deadline event of a new case, as workflow's timers publish it: at risk two days before it is due, breached an hour after (real time). */
  async function deadlineEvent<P extends DeadlineAtRiskV1 | DeadlineBreachedV1>(
    type: typeof DeadlineAtRisk | typeof DeadlineBreached,
    data: Partial<P> = {},
  ): Promise<{ caseId: string; deadlineId: string; notificationOf: (userId: string) => Promise<string> }> {
    const payload = {
      deadlineId: randomUUID(),
      caseId: randomUUID(),
      kind: 'DRAFT' as const,
      dueAt: new Date(Date.now() + (type === DeadlineAtRisk ? 2 * 86_400_000 : -3_600_000)).toISOString(),
      firedAt: new Date().toISOString(),
      ...data,
    };
    const { seq } = await notify.publish(type, KALMANSKY, payload);
    await notify.handledUpTo(type === DeadlineAtRisk ? 'deadline-at-risk' : 'deadline-breached', seq);
    return {
      caseId: payload.caseId,
      deadlineId: payload.deadlineId,
      notificationOf: async (userId) => {
        const rows = await notify.sql<{ id: string }>(
          'select id from notify.notifications where case_id = $1 and user_id = $2',
          [payload.caseId, userId],
        );
        expect(rows).toHaveLength(1);
        return rows[0].id;
      },
    };
  }

  async function deliveriesOf(user: typeof official, notificationId: string): Promise<DeliveryView[]> {
    const answer = await notify.graphql<{ notificationDeliveries: DeliveryView[] }>(
      DELIVERIES,
      { id: notificationId },
      viewerOf(user),
    );
    expect(answer.errors).toBeUndefined();
    return answer.data!.notificationDeliveries;
  }

  const mailTo = (address: string, caseId: string) => (): ReceivedMail | undefined =>
    smtp.received.find((m) => m.to.includes(address) && m.text.includes(caseId));

  describe('e-mail through SMTP', () => {
    let atRiskCase: string;
    let atRiskNotification: string;

    it('an AT_RISK deadline: one e-mail to the person responsible, with the subject and the case’s link', async () => {
      const fired = await deadlineEvent(DeadlineAtRisk, { responsibleUserId: executor.id });
      atRiskCase = fired.caseId;
      atRiskNotification = await fired.notificationOf(executor.id);
      const mail = await waitFor('the at-risk e-mail', mailTo('executor@kalmansky.example', atRiskCase));
      expect(mail.to).toEqual(['executor@kalmansky.example']);
      expect(mail.from).toBe('no-reply@otklik.local');
      expect(mail.subject).toBe('Отклик: срок на исходе');
      expect(mail.text).toMatch(
        /^Срок на исходе: подготовить проект ответа нужно до \d\d\.\d\d \d\d:\d\d, осталось .+ рабочего времени\n/,
      );
      expect(mail.text).toContain(`Обращение: ${APP_URL}/cases/${atRiskCase}`);
    });

    it('the delivery log: in-app and e-mail SENT, Telegram SKIPPED as not linked', async () => {
      const log = await waitFor('the e-mail marked SENT', async () => {
        const rows = await deliveriesOf(executor, atRiskNotification);
        return rows.find((r) => r.channel === 'EMAIL')?.status === 'SENT' ? rows : undefined;
      });
      expect(log).toEqual([
        expect.objectContaining({ channel: 'IN_APP', status: 'SENT', attempts: 1 }),
        expect.objectContaining({ channel: 'EMAIL', status: 'SENT', attempts: 1, digest: false, nextAttemptAt: null }),
        expect.objectContaining({
          channel: 'TELEGRAM',
          status: 'SKIPPED',
          attempts: 0,
          lastError: 'Telegram не привязан',
        }),
      ]);
      // Another user's notification shows them nothing.
      expect(await deliveriesOf(official, atRiskNotification)).toEqual([]);
    });

    it('the event delivered again, or replayed under a new event id: still one e-mail', async () => {
      const original = (await notify.events(DeadlineAtRisk, KALMANSKY)).find((e) => e.data.caseId === atRiskCase)!;
      await notify.publish(DeadlineAtRisk, KALMANSKY, original.data, {
        eventId: original.eventId,
        msgId: randomUUID(),
      });
      const { seq } = await notify.publish(DeadlineAtRisk, KALMANSKY, original.data);
      await notify.handledUpTo('deadline-at-risk', seq);
      const rows = await notify.sql<{ channel: string; status: string }>(
        `select d.channel, d.status from notify.deliveries d join notify.notifications n on n.id = d.notification_id
          where n.case_id = $1 order by d.channel`,
        [atRiskCase],
      );
      // Nothing left to send: no second e-mail can follow.
      expect(rows).toEqual([
        { channel: 'EMAIL', status: 'SENT' },
        { channel: 'IN_APP', status: 'SENT' },
        { channel: 'TELEGRAM', status: 'SKIPPED' },
      ]);
      expect(smtp.received.filter((m) => m.text.includes(atRiskCase))).toHaveLength(1);
    });

    it('a user who switched e-mail off for a kind gets none; the log says why', async () => {
      const answer = await notify.graphql<{ setNotificationPreference: Record<string, unknown> }>(
        `mutation { setNotificationPreference(kind: "DEADLINE_AT_RISK", channel: EMAIL, enabled: false) {
            kind channel enabled chosen changeable } }`,
        {},
        viewerOf(executor),
      );
      expect(answer).toEqual({
        data: {
          setNotificationPreference: {
            kind: 'DEADLINE_AT_RISK',
            channel: 'EMAIL',
            enabled: false,
            chosen: true,
            changeable: true,
          },
        },
      });
      const fired = await deadlineEvent(DeadlineAtRisk, { responsibleUserId: executor.id });
      const log = await deliveriesOf(executor, await fired.notificationOf(executor.id));
      expect(log.find((d) => d.channel === 'EMAIL')).toMatchObject({
        status: 'SKIPPED',
        lastError: 'выключено в настройках уведомлений',
      });
      const listed = await notify.graphql<{ notificationPreferences: Array<Record<string, unknown>> }>(
        '{ notificationPreferences { kind channel enabled chosen } }',
        {},
        viewerOf(executor),
      );
      expect(listed.data!.notificationPreferences.filter((p) => p.kind === 'DEADLINE_AT_RISK')).toEqual([
        { kind: 'DEADLINE_AT_RISK', channel: 'IN_APP', enabled: true, chosen: false },
        { kind: 'DEADLINE_AT_RISK', channel: 'EMAIL', enabled: false, chosen: true },
        { kind: 'DEADLINE_AT_RISK', channel: 'TELEGRAM', enabled: true, chosen: false },
      ]);
    });
  });

  describe('the staff Telegram bot', () => {
    let code: string;

    const update = (text: string, chat = { id: OFFICIAL_CHAT, type: 'private' }) => ({
      update_id: Math.floor(Math.random() * 1e9),
      message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat, text },
    });
    const webhook = (body: unknown, secret = WEBHOOK_SECRET) =>
      fetch(`${notify.url}/webhooks/staff-telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(body),
      });

    it('createTelegramLinkCode: a one-time code and the bot’s deep link, kept only as a hash', async () => {
      const answer = await notify.graphql<{
        createTelegramLinkCode: { code: string; link: string; expiresAt: string };
      }>('mutation { createTelegramLinkCode { code link expiresAt } }', {}, viewerOf(official));
      expect(answer.errors).toBeUndefined();
      ({ code } = answer.data!.createTelegramLinkCode);
      expect(code).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(answer.data!.createTelegramLinkCode.link).toBe(`https://t.me/otklik_staff_bot?start=${code}`);
      const stored = await notify.sql<{ code_hash: string }>('select code_hash from notify.telegram_link_codes');
      expect(stored).toHaveLength(1);
      expect(stored[0].code_hash).not.toContain(code);
    });

    it('the webhook refuses a wrong secret token', async () => {
      expect((await webhook(update(`/start ${code}`), 'not-the-secret')).status).toBe(401);
    });

    it('/start <code> from the private chat links it, and the bot answers there; the code works once', async () => {
      const linked = await webhook(update(`/start ${code}`));
      expect(linked.status).toBe(200);
      expect(await linked.json()).toEqual({ method: 'sendMessage', chat_id: OFFICIAL_CHAT, text: BOT_TEXT.linked });
      const again = await webhook(update(`/start ${code}`, { id: 999, type: 'private' }));
      expect(await again.json()).toEqual({ method: 'sendMessage', chat_id: 999, text: BOT_TEXT.badCode });
      expect(await notify.sql('select user_id, chat_id from notify.telegram_links')).toEqual([
        { user_id: official.id, chat_id: String(OFFICIAL_CHAT) },
      ]);
      const link = await notify.graphql<{ telegramLink: { linkedAt: string } | null }>(
        '{ telegramLink { linkedAt } }',
        {},
        viewerOf(official),
      );
      expect(link.data!.telegramLink).toEqual({ linkedAt: expect.any(String) });
    });

    it('a breach reaches the linked official in Telegram, through the Bot API’s sendMessage, with the link', async () => {
      const fired = await deadlineEvent(DeadlineBreached, { kind: 'ROUTE' });
      const message = await waitFor('the Telegram message', () =>
        telegram.sent.find((m) => m.chat.id === OFFICIAL_CHAT && m.text?.includes(fired.caseId)),
      );
      expect(message.text).toMatch(/^Срок нарушен: направить обращение нужно было до /);
      expect(message.text).toContain(`Обращение: ${APP_URL}/cases/${fired.caseId}`);
      // OVERDUE reaches the official and the head; the head has no chat linked.
      const headLog = await deliveriesOf(head, await fired.notificationOf(head.id));
      expect(headLog.find((d) => d.channel === 'TELEGRAM')).toMatchObject({ status: 'SKIPPED' });
    });
  });

  describe('outside working hours: the morning digest', () => {
    let assignedCase: string;

    it('at 22:00 an assignment and an at-risk warning wait for 09:00 the next working morning; a breach goes at once', async () => {
      clock.setTo(MONDAY_NIGHT);
      const transition: CaseTransitionedV1 = {
        caseId: randomUUID(),
        messageId: randomUUID(),
        action: 'ASSIGN',
        fromStatus: 'REGISTERED',
        toStatus: 'ASSIGNED',
        actor: 'reception',
        at: new Date().toISOString(),
        executorUserId: official.id,
        organizationPath: [KALMANSKY],
      };
      assignedCase = transition.caseId;
      const { seq } = await notify.publish(CaseTransitioned, KALMANSKY, transition);
      await notify.handledUpTo('case-transitioned', seq);
      const atRisk = await deadlineEvent(DeadlineAtRisk, { responsibleUserId: official.id });
      const breach = await deadlineEvent(DeadlineBreached, { responsibleUserId: official.id });

      const assigned = await notify.sql<{ id: string }>('select id from notify.notifications where case_id = $1', [
        assignedCase,
      ]);
      for (const id of [assigned[0].id, await atRisk.notificationOf(official.id)]) {
        const log = await deliveriesOf(official, id);
        expect(log.filter((d) => d.channel !== 'IN_APP')).toEqual([
          expect.objectContaining({
            channel: 'EMAIL',
            status: 'PENDING',
            digest: true,
            nextAttemptAt: TUESDAY_DIGEST.toISOString(),
          }),
          expect.objectContaining({
            channel: 'TELEGRAM',
            status: 'PENDING',
            digest: true,
            nextAttemptAt: TUESDAY_DIGEST.toISOString(),
          }),
        ]);
      }
      await waitFor('the breach’s e-mail at night', mailTo('official@kalmansky.example', breach.caseId));
    });

    it('at 09:00: one digest per person and channel, listing both with their links', async () => {
      clock.setTo(TUESDAY_DIGEST);
      const mail = await waitFor('the digest e-mail', () =>
        smtp.received.find(
          (m) => m.to.includes('official@kalmansky.example') && m.subject.startsWith('Отклик: сводка'),
        ),
      );
      expect(mail.subject).toBe('Отклик: сводка на 01.12 (2)');
      expect(mail.text).toContain(`Доброе утро, ${official.displayName}!`);
      expect(mail.text).toContain('Пришло в нерабочее время:');
      expect(mail.text).toContain(`${APP_URL}/cases/${assignedCase}`);
      expect(mail.text).toContain('Вам назначено обращение');
      expect(mail.text).toContain('Срок на исходе');
      const digestInTelegram = await waitFor('the digest in Telegram', () =>
        telegram.sent.find((m) => m.chat.id === OFFICIAL_CHAT && m.text?.startsWith('Доброе утро')),
      );
      expect(digestInTelegram.text).toContain(`${APP_URL}/cases/${assignedCase}`);
      await waitFor('every digest delivery SENT', async () =>
        (await notify.sql("select 1 from notify.deliveries where digest and status <> 'SENT'")).length === 0
          ? true
          : undefined,
      );
      expect(smtp.received.filter((m) => m.subject.startsWith('Отклик: сводка'))).toHaveLength(1);
    });
  });

  describe('a failing channel never holds up the others', () => {
    it('SMTP down: the e-mail is retried, then FAILED with the reason, while in-app and Telegram go', async () => {
      clock.setTo(MONDAY_MORNING);
      await smtp.close();
      const fired = await deadlineEvent(DeadlineBreached, { kind: 'ANSWER' });
      const notificationId = await fired.notificationOf(official.id);
      await waitFor('the Telegram message', () =>
        telegram.sent.find((m) => m.chat.id === OFFICIAL_CHAT && m.text?.includes(fired.caseId)),
      );
      const log = await waitFor(
        'the e-mail FAILED',
        async () => {
          const rows = await deliveriesOf(official, notificationId);
          return rows.find((r) => r.channel === 'EMAIL')?.status === 'FAILED' ? rows : undefined;
        },
        30_000,
      );
      expect(log).toEqual([
        expect.objectContaining({ channel: 'IN_APP', status: 'SENT' }),
        expect.objectContaining({
          channel: 'EMAIL',
          status: 'FAILED',
          attempts: 3,
          nextAttemptAt: null,
          lastError: expect.stringMatching(/^не доставлено за 3 попыток: почтовый сервер недоступен/),
        }),
        expect.objectContaining({ channel: 'TELEGRAM', status: 'SENT', attempts: 1 }),
      ]);
      const failures = notify.logLines
        .map((line) => JSON.parse(line) as { level: number; msg?: string })
        .filter((line) => line.level === 40 && line.msg?.includes('EMAIL delivery') && line.msg.includes('FAILED'));
      expect(failures.length).toBeGreaterThanOrEqual(1);
    });
  });
});
