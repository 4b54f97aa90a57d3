import type { DeadlineEventKind } from '@otklik/contracts';

/**
 * CaseOpened does not carry the organisation's time zone yet; Step 2 adds it. Until then every
 * due time is shown in the demo district's zone, the only one it has (CONTRACT.md, "Demo data").
 */
export const FALLBACK_TIME_ZONE = 'Asia/Barnaul';

export const NotificationKind = {
  CASE_OPENED: 'CASE_OPENED',
  CASE_ROUTED: 'CASE_ROUTED',
  CASE_REGISTERED: 'CASE_REGISTERED',
  CASE_ASSIGNED: 'CASE_ASSIGNED',
  DRAFT_SUBMITTED: 'DRAFT_SUBMITTED',
  DRAFT_RETURNED: 'DRAFT_RETURNED',
  AUTHOR_REPLIED: 'AUTHOR_REPLIED',
  CASE_REOPENED: 'CASE_REOPENED',
  CASE_THREAT: 'CASE_THREAT',
  DEADLINE_AT_RISK: 'DEADLINE_AT_RISK',
  DEADLINE_BREACHED: 'DEADLINE_BREACHED',
  PUBLICATION_FAILED: 'PUBLICATION_FAILED',
} as const;
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: '2-digit',
      month: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** "28.11 17:00": day, month and wall-clock time in the given IANA time zone. */
export function formatDayTime(at: Date, timeZone: string): string {
  const parts = formatIn(timeZone).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}.${part('month')} ${part('hour')}:${part('minute')}`;
}

/** What an official is told when a case is opened in their organisation: route it (cl. 5) before it is due. */
export function caseOpenedText(routeDueAt: Date, timeZone: string): string {
  return `Новое обращение: обнаружено критическое сообщение, направьте его до ${formatDayTime(routeDueAt, timeZone)}`;
}

/** The person's comment, when they left one, after the sentence it explains. */
const withComment = (sentence: string, comment: string | undefined): string =>
  comment?.trim() ? `${sentence}. Комментарий: ${comment.trim()}` : sentence;

/** What the reception of the organisation a case was routed to is told: register it (cl. 5–6). */
export function caseRoutedText(): string {
  return 'Вам направлено обращение: зарегистрируйте его';
}

/** What the reception is told when a colleague registered a case (cl. 6): an executor is to be assigned (cl. 7). */
export function caseRegisteredText(): string {
  return 'Обращение зарегистрировано: назначьте исполнителя';
}

/** What an executor is told when a case is (re)assigned to them: draft the answer on the day (cl. 7, the DRAFT deadline). */
export function caseAssignedText(): string {
  return (
    'Вам назначено обращение: подготовьте проект ответа в день назначения, до конца рабочего дня ' +
    '(если рабочий день уже окончен — до конца следующего)'
  );
}

/** What the officials are told when an executor hands in a draft (cl. 7): approve it or return it. */
export function draftSubmittedText(): string {
  return 'Проект ответа ожидает согласования';
}

/** What the executor is told when an official returns their draft, with the official's comment. */
export function draftReturnedText(comment: string | undefined): string {
  return withComment('Проект ответа возвращён на доработку', comment);
}

/** What the executor is told when the author answered the request for clarification. */
export function authorRepliedText(): string {
  return 'Автор ответил на запрос уточнения: подготовьте ответ';
}

/** What the executor is told when a closed case is opened again. */
export function caseReopenedText(reason: string | undefined): string {
  return withComment('Обращение открыто снова', reason);
}

/** What a coordinator is told when an official excluded a message for a threat (cl. 11). */
export function caseThreatText(comment: string | undefined): string {
  return withComment('Угроза в сообщении: обращение исключено из рассмотрения', comment);
}

/** What each deadline asks of the person responsible, in words. */
const DEADLINE_DUTY: Record<DeadlineEventKind, string> = {
  ROUTE: 'направить обращение',
  DRAFT: 'подготовить проект ответа',
  ANSWER: 'опубликовать ответ',
  FINAL: 'опубликовать окончательный ответ',
};

/** Working time in words: "меньше минуты", "45 мин", "2 ч", "1 ч 30 мин" (whole minutes, rounded down). */
export function formatWorkingMinutes(minutes: number): string {
  const whole = Math.max(0, Math.floor(minutes));
  if (whole < 1) return 'меньше минуты';
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  if (hours === 0) return `${rest} мин`;
  return rest === 0 ? `${hours} ч` : `${hours} ч ${rest} мин`;
}

/**
 * Fewer than the policy's working minutes are left on a deadline; `leftMinutes`, the working
 * time left when it is known (the calendar covers the day), is said too.
 */
export function deadlineAtRiskText(
  kind: DeadlineEventKind,
  dueAt: Date,
  timeZone: string,
  leftMinutes?: number,
): string {
  const left = leftMinutes === undefined ? '' : `, осталось ${formatWorkingMinutes(leftMinutes)} рабочего времени`;
  return `Срок на исходе: ${DEADLINE_DUTY[kind]} нужно до ${formatDayTime(dueAt, timeZone)}${left}`;
}

/** A deadline passed unmet. */
export function deadlineBreachedText(kind: DeadlineEventKind, dueAt: Date, timeZone: string): string {
  return `Срок нарушен: ${DEADLINE_DUTY[kind]} нужно было до ${formatDayTime(dueAt, timeZone)}`;
}

/**
 * An approved answer could not be published (Step 5): the platform's reason as publishing put it
 * for an official, and what they can do.
 */
export function publicationFailedText(reason: string | undefined): string {
  const why = reason?.trim() ? `: ${reason.trim()}` : '';
  return `Ответ по обращению не опубликован${why}. Повторите публикацию или опубликуйте ответ вручную и укажите ссылку`;
}
