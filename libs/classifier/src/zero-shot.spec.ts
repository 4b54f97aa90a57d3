import { taxonomyTopics, TaxonomyFormatError, TopicRanker } from './zero-shot';

/** A few topics in the ЦУР classifier's shape, written for this test. */
const TAXONOMY = {
  groups: [
    {
      group: 'ДОРОГИ',
      topics: [
        {
          topic: 'ЯМЫ И ВЫБОИНЫ НА ДОРОГАХ',
          description: 'Сообщения о ямах, выбоинах, разрушении дорожного покрытия, асфальта.',
        },
        { topic: 'УБОРКА СНЕГА С ДОРОГ', description: 'Не убран снег, наледь на проезжей части, не проходил грейдер.' },
      ],
    },
    {
      group: 'ЖКХ',
      topics: [
        { topic: 'ОТСУТСТВИЕ ВОДОСНАБЖЕНИЯ', description: 'Нет холодной или горячей воды, аварии водопровода.' },
        { topic: 'НЕ РАБОТАЕТ УЛИЧНОЕ ОСВЕЩЕНИЕ', description: 'Не горят фонари, нет освещения улиц и дворов.' },
      ],
    },
  ],
};

describe('zero-shot topics over a taxonomy', () => {
  const ranker = TopicRanker.fromTaxonomy(TAXONOMY);

  it.each([
    ['На Садовой огромные ямы, асфальт разрушен', '1.1'],
    ['Снег не убирают неделю, грейдер не приезжал', '1.2'],
    ['Третий день нет воды в доме', '2.1'],
    ['Во дворе не горят фонари', '2.2'],
  ])('%s → topic %s', (text, code) => {
    expect(ranker.rank(text, 1)[0].code).toBe(code);
  });

  it('gives codes by position, the group and a cosine score; nothing for an unrelated text', () => {
    const [best] = ranker.rank('нет воды', 3);
    expect(best).toMatchObject({ code: '2.1', group: 'ЖКХ', name: 'ОТСУТСТВИЕ ВОДОСНАБЖЕНИЯ' });
    expect(best.score).toBeGreaterThan(0);
    expect(best.score).toBeLessThanOrEqual(1);
    expect(ranker.rank('qwerty', 3)).toEqual([]);
  });

  it('refuses a file that is not a taxonomy, naming the place', () => {
    expect(() => taxonomyTopics({})).toThrow(TaxonomyFormatError);
    expect(() => taxonomyTopics({ groups: [{ group: 'A', topics: [{ topic: '' }] }] })).toThrow(
      /groups\[0\]\.topics\[0\]\.topic/,
    );
    expect(() => taxonomyTopics({ groups: [{ group: 'A', topics: [] }] })).toThrow(/no topics/);
  });
});
