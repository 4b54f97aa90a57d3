import { formatWorkingMinutes } from '../notifications/notification.text';
import { DeliveredNotification, renderDigest, renderNotification } from './delivery.text';
import { WorkingHours } from './working-hours';

const time = new WorkingHours().of('any organisation');
const barnaul = (local: string): Date => new Date(`${local}:00+07:00`);
const CASE = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const OTHER_CASE = '1a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const context = (local: string) => ({ appUrl: 'https://otklik.example', time, now: barnaul(local) });

describe('working time in words', () => {
  it.each([
    [0.4, 'меньше минуты'],
    [45, '45 мин'],
    [120, '2 ч'],
    [90.9, '1 ч 30 мин'],
    [600, '10 ч'],
  ])('%s minutes: %s', (minutes, words) => {
    expect(formatWorkingMinutes(minutes)).toBe(words);
  });
});

describe('one notification as an e-mail or Telegram message, in Russian', () => {
  it('an at-risk deadline: a subject by kind, the text (with the time left), the case’s link', () => {
    const message = renderNotification(
      {
        kind: 'DEADLINE_AT_RISK',
        text: 'Срок на исходе: направить обращение нужно до 30.11 17:00, осталось 1 ч 30 мин рабочего времени',
        caseId: CASE,
        dueAt: barnaul('2026-11-30T17:00'),
        createdAt: barnaul('2026-11-30T15:30'),
      },
      context('2026-11-30T15:30'),
    );
    expect(message.subject).toBe('Отклик: срок на исходе');
    expect(message.text.split('\n').slice(0, 2)).toEqual([
      'Срок на исходе: направить обращение нужно до 30.11 17:00, осталось 1 ч 30 мин рабочего времени',
      `Обращение: https://otklik.example/cases/${CASE}`,
    ]);
  });

  it('a new case: the working time left on its ROUTE deadline, counted over the night', () => {
    const message = renderNotification(
      {
        kind: 'CASE_OPENED',
        text: 'Новое обращение: обнаружено критическое сообщение, направьте его до 01.12 11:00',
        caseId: CASE,
        dueAt: barnaul('2026-12-01T11:00'),
        createdAt: barnaul('2026-11-30T16:00'),
      },
      context('2026-11-30T16:00'),
    );
    expect(message.subject).toBe('Отклик: новое обращение');
    // Monday 16:00–17:00 and Tuesday 08:00–11:00: four working hours.
    expect(message.text).toContain('Осталось 4 ч рабочего времени (срок — 01.12 11:00).');
  });

  it('a deadline already passed says so', () => {
    const message = renderNotification(
      {
        kind: 'DEADLINE_BREACHED',
        text: 'Срок нарушен',
        caseId: CASE,
        dueAt: barnaul('2026-11-30T17:00'),
        createdAt: barnaul('2026-11-30T17:01'),
      },
      context('2026-11-30T17:01'),
    );
    expect(message.text).toContain('Срок истёк 30.11 17:00.');
  });
});

describe('the morning digest: what is due today, then what came while the person was away', () => {
  const items: DeliveredNotification[] = [
    {
      kind: 'CASE_ASSIGNED',
      text: 'Вам назначено обращение',
      caseId: OTHER_CASE,
      dueAt: null,
      createdAt: barnaul('2026-11-30T22:00'),
    },
    {
      kind: 'CASE_OPENED',
      text: 'Новое обращение: направьте его до 01.12 15:00',
      caseId: CASE,
      dueAt: barnaul('2026-12-01T15:00'),
      createdAt: barnaul('2026-11-30T23:10'),
    },
  ];

  it('one message with both lists, each item with its link', () => {
    const digest = renderDigest(items, context('2026-12-01T09:00'), 'Ирина Петрова');
    expect(digest.subject).toBe('Отклик: сводка на 01.12 (2)');
    expect(digest.text).toContain('Доброе утро, Ирина Петрова! Сводка Отклика на 01.12.');
    const dueToday = digest.text.indexOf('Сегодня истекают сроки:');
    const waited = digest.text.indexOf('Пришло в нерабочее время:');
    expect(dueToday).toBeGreaterThan(0);
    expect(waited).toBeGreaterThan(dueToday);
    expect(digest.text.slice(dueToday, waited)).toContain('• Новое обращение: направьте его до 01.12 15:00');
    // 09:00–12:00 and 13:00–15:00.
    expect(digest.text.slice(dueToday, waited)).toContain('Осталось 5 ч рабочего времени (срок — 01.12 15:00).');
    expect(digest.text.slice(dueToday, waited)).toContain(`https://otklik.example/cases/${CASE}`);
    expect(digest.text.slice(waited)).toContain('• 30.11 22:00 — Вам назначено обращение');
    expect(digest.text.slice(waited)).toContain(`https://otklik.example/cases/${OTHER_CASE}`);
  });

  it('without anything due today, only what came overnight', () => {
    const digest = renderDigest([items[0]], context('2026-12-01T09:00'));
    expect(digest.text).not.toContain('Сегодня истекают сроки');
    expect(digest.text.startsWith('Доброе утро! Сводка Отклика на 01.12.')).toBe(true);
  });
});
