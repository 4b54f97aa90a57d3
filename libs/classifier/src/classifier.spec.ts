import { ClassifierFormatError, Example, TextClassifier } from './classifier';
import { stratifiedFolds, stratifiedSplit, topKAccuracy } from './evaluation';
import { normalise, words } from './normalise';

/** Three services people write to, in the words they use; each class shares roots, not whole words. */
const TOY: Example[] = [
  ['Третий день нет воды в доме на Ленина', 'water'],
  ['Из крана течёт ржавая вода, водоканал молчит', 'water'],
  ['Прорвало водопровод, вода бьёт из-под асфальта', 'water'],
  ['Нет холодной воды во всём посёлке', 'water'],
  ['Когда дадут воду? Водоснабжение отключено без предупреждения', 'water'],
  ['Низкое давление воды на пятом этаже', 'water'],
  ['Огромная яма на дороге у школы', 'roads'],
  ['Дорогу не ремонтировали десять лет, сплошные ямы', 'roads'],
  ['Асфальт разбит, машины ломают подвеску в ямах', 'roads'],
  ['Просим заделать ямы на дороге к кладбищу', 'roads'],
  ['Грейдер не проходил, дорога размыта', 'roads'],
  ['Разбитая дорога на улице Садовой', 'roads'],
  ['Не горят фонари на улице Мира', 'light'],
  ['Темно, уличное освещение не работает неделю', 'light'],
  ['Фонарь у остановки мигает и гаснет', 'light'],
  ['Освещение во дворе отключили, фонари не горят', 'light'],
  ['Почините фонари в парке, вечером темно', 'light'],
  ['Нет освещения на пешеходном переходе', 'light'],
].map(([text, label]) => ({ text, label }));

const UNSEEN: Array<[string, string]> = [
  ['В квартире опять нет воды, краны сухие', 'water'],
  ['Ямы на дороге такие, что не проехать', 'roads'],
  ['Фонари на нашей улице не горят', 'light'],
];

describe('normalisation for Russian', () => {
  it('strips HTML and its entities, lower-cases, reads ё as е', () => {
    expect(normalise('<p>Ёлки&nbsp;у&nbsp;<b>ДОМА</b> &laquo;№5&raquo;</p>')).toBe('елки у дома «№5»');
  });

  it('splits into words of letters and digits, dropping numbers alone', () => {
    expect(words(normalise('Дом 22, кв.5 — 3-й подъезд'))).toEqual(['дом', 'кв', 'й', 'подъезд']);
  });
});

describe('TextClassifier', () => {
  it.each(['softmax', 'svm', 'complement-nb'] as const)('%s learns a separable toy set', (kind) => {
    const classifier = TextClassifier.train(TOY, { model: { kind } });
    for (const [text, label] of UNSEEN) expect(classifier.rank(text, 1)[0].label).toBe(label);
  });

  it('ranks every label best first, with softmax scores summing to 1, and keeps only `among`', () => {
    const classifier = TextClassifier.train(TOY);
    const all = classifier.rank('нет воды', 3);
    expect(all.map((r) => r.label).sort()).toEqual(['light', 'roads', 'water']);
    expect(all[0].score).toBeGreaterThanOrEqual(all[1].score);
    expect(all.reduce((sum, r) => sum + r.score, 0)).toBeCloseTo(1, 6);
    expect(classifier.rank('нет воды', 3, new Set(['roads', 'light'])).map((r) => r.label)).not.toContain('water');
  });

  it('survives JSON: read back, it ranks exactly as trained', () => {
    const classifier = TextClassifier.train(TOY);
    const restored = TextClassifier.fromJson(JSON.parse(JSON.stringify(classifier.toJson())));
    for (const [text] of UNSEEN) expect(restored.rank(text, 3)).toEqual(classifier.rank(text, 3));
    expect(restored.labels).toEqual(classifier.labels);
    expect(restored.examples).toBe(TOY.length);
  });

  it('is deterministic: the same examples and seed give the same model; another seed another one', () => {
    const json = (seed: number) => JSON.stringify(TextClassifier.train(TOY, { model: { seed } }).toJson());
    expect(json(7)).toBe(json(7));
    expect(json(8)).not.toBe(json(7));
  });

  it('trains the same with trainAsync as with train', async () => {
    const text = JSON.stringify((await TextClassifier.trainAsync(TOY)).toJson());
    expect(text).toBe(JSON.stringify(TextClassifier.train(TOY).toJson()));
  });

  it('refuses what is not a serialised classifier, saying what is wrong', () => {
    const json = TextClassifier.train(TOY).toJson();
    expect(() => TextClassifier.fromJson({ format: 'other' })).toThrow(ClassifierFormatError);
    expect(() => TextClassifier.fromJson({ ...json, version: 2 })).toThrow(/version 2/);
    expect(() => TextClassifier.fromJson({ ...json, bias: [1] })).toThrow(/3 labels/);
    expect(() => TextClassifier.fromJson({ ...json, classOf: json.classOf.map(() => 9) })).toThrow(/class 9/);
  });

  it('refuses to train on nothing', () => {
    expect(() => TextClassifier.train([])).toThrow(/no examples/);
  });
});

describe('evaluation', () => {
  const labels = [...'aaaaaaaaaabbbbbcccccccccccccccd'];

  it('stratified folds give every fold its share of every label, sizes within one', () => {
    const folds = stratifiedFolds(labels, 5, 1);
    const sizes = [0, 1, 2, 3, 4].map((f) => folds.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const label of 'abc') {
      const perFold = [0, 1, 2, 3, 4].map((f) => labels.filter((l, i) => l === label && folds[i] === f).length);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }
    expect(stratifiedFolds(labels, 5, 1)).toEqual(folds);
  });

  it('a split holds out about a fifth and loses nothing', () => {
    const { train, test } = stratifiedSplit(labels, 0.2, 3);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    expect(test.length).toBeGreaterThanOrEqual(6);
    expect(test.length).toBeLessThanOrEqual(7);
  });

  it('top-k accuracy counts the true label among the first k', () => {
    const rankings = [[{ label: 'a' }, { label: 'b' }], [{ label: 'b' }, { label: 'a' }], [{ label: 'c' }]];
    expect(topKAccuracy(rankings, ['a', 'a', 'a'], 1)).toBeCloseTo(1 / 3);
    expect(topKAccuracy(rankings, ['a', 'a', 'a'], 2)).toBeCloseTo(2 / 3);
  });
});
