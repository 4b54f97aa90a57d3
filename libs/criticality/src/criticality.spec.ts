import fc from 'fast-check';
import { assessCriticality, inspectCriticality } from './criticality';
import { CriticalityLexiconError, loadLexicon } from './lexicon';
import criticalJson from './data/critical.json';
import notCriticalJson from './data/not-critical.json';

const kindsOf = (text: string): string[] => [...new Set(assessCriticality(text).signals.map((s) => s.kind))];

describe('cl. 1: complaints, criticism and requests are critical', () => {
  it.each([
    ['Опять нет воды на Советской, третий день уже, сколько можно', 'PROBLEM'],
    ['Мусор не вывозят вторую неделю, контейнеры переполнены', 'PROBLEM'],
    ['На Пушкина яма посреди дороги, уже кто-то колесо пробил', 'PROBLEM'],
    ['Авария на водопроводе на Кирова, вода хлещет второй день', 'PROBLEM'],
    ['Фонари на Молодёжной не горят уже месяц', 'PROBLEM'],
    ['Прошу разобраться с управляющей компанией', 'REQUEST'],
    ['Помогите, пожалуйста, водоканал трубку не берёт', 'REQUEST'],
    ['Жалоба на водителя маршрутки 112', 'REQUEST'],
    ['Когда уже отремонтируют мост в Бурановке?', 'QUESTION'],
    ['Почему автобус опять не пришёл?', 'QUESTION'],
    ['Куда смотрит администрация? Парк зарос бурьяном', 'QUESTION'],
    ['Это безобразие, администрация бездействует', 'DISCONTENT'],
    ['Полгода обещают починить колонку, воз и ныне там', 'DISCONTENT'],
  ])('%s (%s)', (text, kind) => {
    const verdict = assessCriticality(text);
    expect(verdict.critical).toBe(true);
    expect(verdict.score).toBeGreaterThanOrEqual(0);
    expect(kindsOf(text)).toContain(kind);
  });

  it('short archive-style appeals: a service or a thing named is enough', () => {
    for (const text of ['Отсутствие люка', 'Сухое дерево у дома', 'Дорога', 'Засоренная ливнёвка', 'Свалка мусора']) {
      expect(assessCriticality(text).critical).toBe(true);
    }
  });

  it('thanks that turn to a complaint stay critical', () => {
    expect(assessCriticality('Спасибо, но свет так и не дали').critical).toBe(true);
    expect(assessCriticality('Благодарю за ответ, но проблема не решена, вода по-прежнему грязная').critical).toBe(
      true,
    );
    expect(assessCriticality('Ну отличная работа, опять всё раскопали и уехали').critical).toBe(true);
  });

  it('«заранее спасибо» is a polite request, not praise', () => {
    const text = 'Уберите, пожалуйста, сухое дерево у школы. Заранее спасибо';
    expect(kindsOf(text)).not.toContain('PRAISE');
    expect(kindsOf(text)).toContain('REQUEST');
    expect(assessCriticality(text).critical).toBe(true);
  });

  it('reads past HTML markup and entities (website and archive text)', () => {
    const text = '<p>Не работает&nbsp;освещение по <span style=`color:#333`>ул. Энергетиков</span></p>';
    const verdict = assessCriticality(text);
    expect(verdict.critical).toBe(true);
    expect(verdict.signals).toContainEqual({ kind: 'PROBLEM', evidence: 'Не работает' });
    expect(verdict.signals.every((s) => !s.evidence.includes('style'))).toBe(true);
  });
});

describe('cl. 1: praise, chatter, news and advertising are not critical', () => {
  it.each([
    ['Спасибо большое администрации за праздник, дети в восторге!', 'PRAISE'],
    ['Благодарим дорожников за быстрый ремонт моста', 'PRAISE'],
    ['Молодцы! Так держать!', 'PRAISE'],
    ['Мне понравилась новая библиотека', 'PRAISE'],
    ['Всем доброе утро ☀️', 'CHATTER'],
    ['С праздником, дорогие земляки!', 'CHATTER'],
    ['Ахаха, жиза 😂', 'CHATTER'],
    ['Пропала собака, рыжая, откликается на Джек. Помогите найти!', 'CHATTER'],
    ['Уважаемые жители! 20 мая в 10:00 в доме культуры состоится встреча с главой района', 'NEWS'],
    ['Информируем, что 15 июня будет плановое отключение электроэнергии', 'NEWS'],
    ['Продаю картофель крупный, 30 рублей кг, доставка. Звоните 89131234567', 'AD'],
    ['Требуются водители категории Е, зарплата достойная', 'AD'],
  ])('%s (%s)', (text, kind) => {
    const verdict = assessCriticality(text);
    expect(verdict.critical).toBe(false);
    expect(verdict.score).toBeLessThan(0);
    expect(kindsOf(text)).toContain(kind);
  });

  it('emoji, «+» or dots alone are chatter', () => {
    for (const text of ['😍😍😍', '+', '👍', '...']) {
      expect(assessCriticality(text)).toEqual({
        critical: false,
        score: -3,
        signals: [{ kind: 'CHATTER', evidence: text }],
      });
    }
  });

  it('a link alone is a repost', () => {
    expect(assessCriticality('  https://vk.com/wall-123456_789 ')).toEqual({
      critical: false,
      score: -3,
      signals: [{ kind: 'NEWS', evidence: 'https://vk.com/wall-123456_789' }],
    });
  });

  it('a negation a word away is read as a word: «не понравилось» is not praise', () => {
    expect(kindsOf('Мне понравилось')).toContain('PRAISE');
    expect(kindsOf('Мне не понравилось')).not.toContain('PRAISE');
  });

  it('«первый класс» is a school year, not praise', () => {
    expect(kindsOf('Ребёнка в первый класс не взяли по прописке')).not.toContain('PRAISE');
    expect(kindsOf('Класс!')).toContain('PRAISE');
  });
});

describe('when unsure, critical (a missed complaint costs more than an extra case)', () => {
  it.each([[''], ['   '], ['Здравствуйте'], ['Калманка']])('no signal at all: %j', (text) => {
    expect(assessCriticality(text)).toEqual({ critical: true, score: 0, signals: [] });
  });

  it('a tie is critical', () => {
    const report = inspectCriticality('Спасибо за ямы');
    expect(report.score).toBe(0);
    expect(report.critical).toBe(true);
  });
});

describe('the score', () => {
  it('is the critical kinds’ weight minus the others’, each kind capped', () => {
    const report = inspectCriticality('Опять нет воды. Опять! Опять! Когда уже дадут? Безобразие, позор, кошмар!');
    expect(report.byKind.DISCONTENT).toBeLessThanOrEqual(criticalJson.kinds.DISCONTENT.cap);
    const critical = ['PROBLEM', 'REQUEST', 'QUESTION', 'DISCONTENT', 'SERVICE', 'ADDRESS'] as const;
    const not = ['PRAISE', 'CHATTER', 'NEWS', 'AD'] as const;
    const sum = (kinds: readonly (keyof typeof report.byKind)[]): number =>
      kinds.reduce((a, k) => a + report.byKind[k], 0);
    expect(report.score).toBe(sum(critical) - sum(not));
  });

  it('counts a rule once however often it matches', () => {
    const once = inspectCriticality('опять');
    const thrice = inspectCriticality('опять, опять и опять');
    expect(thrice.byKind.DISCONTENT).toBe(once.byKind.DISCONTENT);
  });
});

describe('evidence', () => {
  const words = fc.constantFrom(
    'нет воды', 'Спасибо', 'ул. Ленина', 'когда уже', 'https://t.me/x/1', '<p>', '&nbsp;', '😂', 'продам', 'ёлка', 'ЯМА',
    'не работает', '?', '!', ',', '\n', 'уважаемые жители', 'Опять', 'молодцы', '5', 'д.', 'заранее спасибо',
  ); // prettier-ignore
  const texts = fc.array(words, { maxLength: 12 }).map((parts) => parts.join(' '));

  it('every match is the text at its offsets, and every signal is one of the matches', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const report = inspectCriticality(text);
        for (const m of report.matches) expect(m.evidence).toBe(text.slice(m.start, m.end));
        for (const s of report.signals) {
          expect(report.matches.some((m) => m.kind === s.kind && m.evidence === s.evidence)).toBe(true);
        }
        expect(report.critical).toBe(report.score >= 0);
      }),
    );
  });
});

describe('the lexicons are checked when they load', () => {
  const kinds = (json: { kinds: Record<string, unknown> }) => json.kinds;

  it('loads the bundled ones', () => {
    expect(() => loadLexicon({ critical: criticalJson, notCritical: notCriticalJson })).not.toThrow();
  });

  it('refuses a bad pattern, naming its file and place', () => {
    const broken = {
      kinds: {
        ...kinds(criticalJson),
        PROBLEM: { weight: 3, cap: 6, patterns: [{ pattern: 'нет (воды' }] },
      },
    };
    expect(() => loadLexicon({ critical: broken, notCritical: notCriticalJson })).toThrow(
      new CriticalityLexiconError(
        'critical: PROBLEM.patterns[0]: Invalid regular expression: /(?:нет (воды)(?![а-яa-z0-9])/y: Unterminated group',
      ),
    );
  });

  it('refuses a pattern that matches an empty text', () => {
    const broken = {
      kinds: { ...kinds(criticalJson), ADDRESS: { weight: 1, cap: 1, patterns: [{ pattern: '(?:ул)?' }] } },
    };
    expect(() => loadLexicon({ critical: broken, notCritical: notCriticalJson })).toThrow(
      'critical: ADDRESS.patterns[0]: pattern matches an empty text',
    );
  });

  it('refuses a kind of the other side, a missing kind and a bad weight', () => {
    const foreign = { kinds: { ...kinds(criticalJson), PRAISE: { weight: 3, cap: 6, patterns: [] } } };
    expect(() => loadLexicon({ critical: foreign, notCritical: notCriticalJson })).toThrow(
      'critical: unknown kinds PRAISE; expected PROBLEM, REQUEST, QUESTION, DISCONTENT, SERVICE, ADDRESS',
    );
    const withoutAd = Object.fromEntries(Object.entries(kinds(notCriticalJson)).filter(([kind]) => kind !== 'AD'));
    expect(() => loadLexicon({ critical: criticalJson, notCritical: { kinds: withoutAd } })).toThrow(
      'not-critical: kind AD is missing',
    );
    const heavy = { kinds: { ...kinds(notCriticalJson), AD: { weight: 30, cap: 30, patterns: [] } } };
    expect(() => loadLexicon({ critical: criticalJson, notCritical: heavy })).toThrow(
      'not-critical: AD.weight must be an integer from 1 to 10',
    );
  });
});
