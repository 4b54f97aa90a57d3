import {
  authorRepliedText,
  caseAssignedText,
  caseOpenedText,
  caseRegisteredText,
  caseReopenedText,
  caseRoutedText,
  caseThreatText,
  deadlineAtRiskText,
  draftReturnedText,
  draftSubmittedText,
  FALLBACK_TIME_ZONE,
  formatDayTime,
} from './notification.text';

describe('notification text: due times are shown on the organisation’s wall clock', () => {
  it('a case opened tells the official to route it before the ROUTE deadline, in Russian', () => {
    expect(caseOpenedText(new Date('2026-11-28T10:00:00Z'), 'Asia/Barnaul')).toBe(
      'Новое обращение: обнаружено критическое сообщение, направьте его до 28.11 17:00',
    );
  });

  it('the day is the organisation’s day, not UTC’s', () => {
    // 20:30 UTC on the 27th is 03:30 on the 28th in Barnaul (UTC+7).
    expect(formatDayTime(new Date('2026-11-27T20:30:00Z'), 'Asia/Barnaul')).toBe('28.11 03:30');
  });

  it('another zone shows the same moment on its own clock', () => {
    expect(formatDayTime(new Date('2026-11-28T10:00:00Z'), 'Europe/Moscow')).toBe('28.11 13:00');
  });

  it('midnight is 00:00 and the new year’s date', () => {
    expect(formatDayTime(new Date('2026-12-31T17:00:00Z'), 'Asia/Barnaul')).toBe('01.01 00:00');
  });

  it('until Step 2 carries the zone, the demo district’s zone is used', () => {
    expect(FALLBACK_TIME_ZONE).toBe('Asia/Barnaul');
  });
});

describe('notification text of a case’s moves, in Russian', () => {
  it.each([
    ['routed: the reception registers it (cl. 5–6)', caseRoutedText(), 'Вам направлено обращение: зарегистрируйте его'],
    [
      'assigned: the executor drafts by the DRAFT deadline (cl. 7)',
      caseAssignedText(),
      'Вам назначено обращение: подготовьте проект ответа в день назначения, до конца рабочего дня ' +
        '(если рабочий день уже окончен — до конца следующего)',
    ],
    [
      'registered: the reception assigns the executor (cl. 7)',
      caseRegisteredText(),
      'Обращение зарегистрировано: назначьте исполнителя',
    ],
    ['a draft submitted: the officials approve it', draftSubmittedText(), 'Проект ответа ожидает согласования'],
    [
      'a deadline at risk, with the working time left',
      deadlineAtRiskText('ANSWER', new Date('2026-11-30T10:00:00Z'), 'Asia/Barnaul', 95),
      'Срок на исходе: опубликовать ответ нужно до 30.11 17:00, осталось 1 ч 35 мин рабочего времени',
    ],
    [
      'a draft returned carries the official’s comment',
      draftReturnedText('  добавьте фото  '),
      'Проект ответа возвращён на доработку. Комментарий: добавьте фото',
    ],
    ['a draft returned without a comment', draftReturnedText('  '), 'Проект ответа возвращён на доработку'],
    ['the author replied', authorRepliedText(), 'Автор ответил на запрос уточнения: подготовьте ответ'],
    [
      'reopened, with the reason',
      caseReopenedText('автор не согласен'),
      'Обращение открыто снова. Комментарий: автор не согласен',
    ],
    [
      'a threat (cl. 11), with the official’s comment',
      caseThreatText('угрожает главе'),
      'Угроза в сообщении: обращение исключено из рассмотрения. Комментарий: угрожает главе',
    ],
  ])('%s', (_what, text, expected) => {
    expect(text).toBe(expected);
  });
});
