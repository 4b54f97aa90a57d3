import type { Update } from '@grammyjs/types';
import type { Viewer } from '@otklik/auth';
import type { UnitOfWork } from '@otklik/persistence';
import type { DeliveryConfig } from './delivery.config';
import type { TelegramLinkCodeEntity } from './telegram-link.entity';
import type { TelegramLinkRepository } from './telegram-link.repository';
import { BOT_TEXT, TelegramLinkService } from './telegram-link.service';

const USER = '0b6f4a5e-0000-4000-8001-000000000002';
const viewer: Viewer = { userId: USER, login: 'official', displayName: 'O', roles: [], visibleOrganizationIds: [] };
const BOT = { token: '1:x', username: 'otklik_staff_bot', webhookSecret: 's', apiUrl: 'http://127.0.0.1:9' };

/** A repository over a map: codes by hash, links by user. */
function setUp(
  config: DeliveryConfig = { appUrl: 'http://localhost:3000', deferOutsideWorkingHours: true, telegram: BOT },
) {
  const codes = new Map<string, TelegramLinkCodeEntity>();
  const links = new Map<string, string>();
  const uow = { run: <T>(work: () => Promise<T>) => work() } as unknown as UnitOfWork;
  const repository = {
    replaceCode: (code: TelegramLinkCodeEntity) => {
      for (const [hash, c] of codes) if (c.userId === code.userId) codes.delete(hash);
      codes.set(code.codeHash, code);
      return Promise.resolve();
    },
    spendCode: (hash: string, now: Date) => {
      const code = codes.get(hash);
      if (!code || code.usedAt || code.expiresAt <= now) return Promise.resolve(undefined);
      code.usedAt = now;
      return Promise.resolve(code.userId);
    },
    link: (userId: string, chatId: string) => {
      links.set(userId, chatId);
      return Promise.resolve();
    },
  } as unknown as TelegramLinkRepository;
  return { service: new TelegramLinkService(config, uow, repository), codes, links };
}

const update = (text: string, chat: { id: number; type: string } = { id: 77, type: 'private' }): Update =>
  ({ update_id: 1, message: { message_id: 1, date: 0, chat, text } }) as unknown as Update;

describe('linking a Telegram chat with a one-time code', () => {
  const now = new Date('2026-11-30T03:00:00Z');

  it('the code is random, kept only as its hash, and its deep link opens the staff bot', async () => {
    const { service, codes } = setUp();
    const { code, link, expiresAt } = await service.createCode(viewer, now);
    expect(link).toBe(`https://t.me/otklik_staff_bot?start=${code}`);
    expect(expiresAt).toEqual(new Date('2026-11-30T03:15:00Z'));
    expect([...codes.keys()]).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect([...codes.keys()][0]).not.toContain(code);
  });

  it('/start <code> (also /start@bot <code>) links the chat once; a second use or a late one is refused', async () => {
    const { service, links } = setUp();
    const { code } = await service.createCode(viewer, now);
    expect(await service.receive(update(`/start@otklik_staff_bot ${code}`), now)).toEqual({
      chatId: 77,
      text: BOT_TEXT.linked,
    });
    expect(links.get(USER)).toBe('77');
    expect(await service.receive(update(`/start ${code}`), now)).toEqual({ chatId: 77, text: BOT_TEXT.badCode });
    const late = await service.createCode(viewer, now);
    expect(await service.receive(update(`/start ${late.code}`), new Date('2026-11-30T03:15:00Z'))).toEqual({
      chatId: 77,
      text: BOT_TEXT.badCode,
    });
  });

  it('a new code replaces the earlier one', async () => {
    const { service } = setUp();
    const first = await service.createCode(viewer, now);
    await service.createCode(viewer, now);
    expect(await service.receive(update(`/start ${first.code}`), now)).toEqual({ chatId: 77, text: BOT_TEXT.badCode });
  });

  it.each([
    ['a group chat', update('/start abcdefgh', { id: -5, type: 'group' }), { chatId: -5, text: BOT_TEXT.privateOnly }],
    ['plain text', update('здравствуйте'), { chatId: 77, text: BOT_TEXT.help }],
    ['/start without a code', update('/start'), { chatId: 77, text: BOT_TEXT.help }],
    ['an update without a message', { update_id: 2 }, undefined],
  ])('%s: nothing is linked; the bot says how', async (_what, received, reply) => {
    const { service, links } = setUp();
    expect(await service.receive(received, now)).toEqual(reply);
    expect(links.size).toBe(0);
  });

  it('without the staff bot set up, asking for a code is a CONFLICT naming the setting', () => {
    const { service } = setUp({ appUrl: 'http://localhost:3000', deferOutsideWorkingHours: true });
    expect(() => service.createCode(viewer, now)).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('NOTIFY_TELEGRAM_BOT_TOKEN') }),
    );
  });
});
