import type { WorkingTime } from '@otklik/calendar';
import { formatDayTime, formatWorkingMinutes, NotificationKind } from '../notifications/notification.text';
import { PUBLICATION_FAILED } from '../preferences/preference.rules';
import type { OutboundMessage } from './channel.sender';

/** A notification as a message beyond the feed shows it. */
export interface DeliveredNotification {
  kind: string;
  text: string;
  caseId: string | null;
  /** The deadline it is about, if any. */
  dueAt: Date | null;
  createdAt: Date;
}

/** What a message is written against: the web client's address, the recipient's working hours, now. */
export interface RenderContext {
  appUrl: string;
  time: WorkingTime;
  now: Date;
}

/** Each kind in a few words: an e-mail's subject. */
const TITLES: Record<string, string> = {
  [NotificationKind.CASE_OPENED]: 'новое обращение',
  [NotificationKind.CASE_ROUTED]: 'вам направлено обращение',
  [NotificationKind.CASE_REGISTERED]: 'обращение зарегистрировано',
  [NotificationKind.CASE_ASSIGNED]: 'вам назначено обращение',
  [NotificationKind.DRAFT_SUBMITTED]: 'проект ответа ждёт согласования',
  [NotificationKind.DRAFT_RETURNED]: 'проект ответа возвращён',
  [NotificationKind.AUTHOR_REPLIED]: 'автор ответил на уточнение',
  [NotificationKind.CASE_REOPENED]: 'обращение открыто снова',
  [NotificationKind.CASE_THREAT]: 'угроза в сообщении',
  [NotificationKind.DEADLINE_AT_RISK]: 'срок на исходе',
  [NotificationKind.DEADLINE_BREACHED]: 'срок нарушен',
  [PUBLICATION_FAILED]: 'ответ не опубликован',
};

const FOOTER = '—\nОтклик. Что присылать на почту и в Telegram, выбирается в профиле.';

export function titleOf(kind: string): string {
  return TITLES[kind] ?? 'уведомление';
}

/** A case's page in the web client. */
export function caseLink(appUrl: string, caseId: string): string {
  return `${appUrl}/cases/${caseId}`;
}

/** Working minutes from `from` to `to`; undefined where the calendar has no data (a year not loaded). */
export function workingMinutesLeft(time: WorkingTime, from: Date, to: Date): number | undefined {
  try {
    return time.workingMinutesBetween(from, to);
  } catch {
    return undefined;
  }
}

/** "Осталось 3 ч рабочего времени (срок — 30.11 17:00)." or "Срок истёк 30.11 17:00."; nothing without a deadline. */
function dueClause(dueAt: Date | null, context: RenderContext): string | undefined {
  if (!dueAt) return undefined;
  const at = formatDayTime(dueAt, context.time.timeZone);
  if (dueAt <= context.now) return `Срок истёк ${at}.`;
  const left = workingMinutesLeft(context.time, context.now, dueAt);
  return left === undefined
    ? `Срок — ${at}.`
    : `Осталось ${formatWorkingMinutes(left)} рабочего времени (срок — ${at}).`;
}

const caseLine = (n: DeliveredNotification, context: RenderContext): string[] =>
  n.caseId ? [`Обращение: ${caseLink(context.appUrl, n.caseId)}`] : [];

/**
 * One notification as an e-mail or a Telegram message: its text, the working time left on its
 * deadline (an at-risk text says it already), the case's link.
 */
export function renderNotification(n: DeliveredNotification, context: RenderContext): OutboundMessage {
  const due = n.kind === NotificationKind.DEADLINE_AT_RISK ? undefined : dueClause(n.dueAt, context);
  return {
    subject: `Отклик: ${titleOf(n.kind)}`,
    text: [n.text, ...(due ? [due] : []), ...caseLine(n, context), '', FOOTER].join('\n'),
  };
}

/**
 * The morning digest of one person: first what falls due today (soonest first), then what came
 * while they were away (oldest first), each with its case's link.
 */
export function renderDigest(
  items: readonly DeliveredNotification[],
  context: RenderContext,
  displayName?: string,
): OutboundMessage {
  const { time, now } = context;
  const today = time.localDay(now);
  const dueToday = items
    .filter((n) => n.dueAt && n.dueAt > now && time.localDay(n.dueAt) === today)
    .sort((a, b) => (a.dueAt as Date).getTime() - (b.dueAt as Date).getTime());
  const waited = items
    .filter((n) => !dueToday.includes(n))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const day = formatDayTime(now, time.timeZone).slice(0, 5);
  const lines = [`Доброе утро${displayName ? `, ${displayName}` : ''}! Сводка Отклика на ${day}.`];
  if (dueToday.length > 0) {
    lines.push('', 'Сегодня истекают сроки:');
    for (const n of dueToday) {
      lines.push(
        `• ${n.text}`,
        ...[dueClause(n.dueAt, context), ...caseLine(n, context)].flatMap((l) => (l ? [`  ${l}`] : [])),
      );
    }
  }
  if (waited.length > 0) {
    lines.push('', 'Пришло в нерабочее время:');
    for (const n of waited) {
      const due = dueClause(n.dueAt, context);
      lines.push(
        `• ${formatDayTime(n.createdAt, time.timeZone)} — ${n.text}`,
        ...[due, ...caseLine(n, context)].flatMap((l) => (l ? [`  ${l}`] : [])),
      );
    }
  }
  lines.push('', FOOTER);
  return { subject: `Отклик: сводка на ${day} (${items.length})`, text: lines.join('\n') };
}
