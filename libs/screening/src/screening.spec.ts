import { inspectText, screenText } from './screening';
import { loadLexicon, ScreeningLexiconError } from './lexicon';
import harmIntentJson from './data/harm-intent.json';
import insultJson from './data/insult.json';
import threatJson from './data/threat.json';

const reasonsOf = (text: string): readonly string[] => screenText(text).reasons;

describe('cl. 11 OBSCENE: mat roots and their derivatives', () => {
  it.each([
    ['Блять, опять нет воды', 'Блять'],
    ['бля, когда свет дадут', 'бля'],
    ['Опять пиздец с дорогой', 'пиздец'],
    ['Иди нахуй со своим ремонтом', 'нахуй'],
    ['Похуй им на нас', 'Похуй'],
    ['Охуели совсем с тарифами', 'Охуели'],
    ['Заебали с ремонтом', 'Заебали'],
    ['Опять наебали с перерасчётом', 'наебали'],
    ['Ёбаный стыд, а не дорога', 'Ёбаный'],
    ['Распиздяи из водоканала', 'Распиздяи'],
    ['Мудаки из подрядчика', 'Мудаки'],
    ['Пидорасы из ЖКХ', 'Пидорасы'],
    ['Залупа, а не ремонт', 'Залупа'],
    ['Манда с ушами', 'Манда'],
    ['Долбоёбы проектировали', 'Долбоёбы'],
    ['Съебались все в отпуск', 'Съебались'],
  ])('%s', (text, evidence) => {
    const screening = screenText(text);
    expect(screening.reasons).toContain('OBSCENE');
    expect(screening.evidence).toContain(evidence);
  });
});

describe('cl. 11 OBSCENE: obfuscation does not hide it', () => {
  it.each([
    ['х.у.й вам, а не школа', 'х.у.й', 'symbols between letters'],
    ['п и з д а вашему ремонту', 'п и з д а', 'spaces between letters'],
    ['н а х у й такое благоустройство', 'н а х у й', 'spaces between letters'],
    ['пи.зда вашему ремонту', 'пи.зда', 'a dot inside the word'],
    ['бл*ть, когда свет дадут', 'бл*ть', 'a masked letter'],
    ['х*й дождёшься асфальта', 'х*й', 'a masked letter'],
    ['xyйня, а не ремонт', 'xyйня', 'Latin x and y'],
    ['eбaть вы молодцы', 'eбaть', 'Latin e and a'],
    ['3аебали с отключениями', '3аебали', 'the digit 3 for з'],
    ['пизд@боль этот глава', 'пизд@боль', '@ for а'],
    ['Бляяяяять, опять прорыв', 'Бляяяяять', 'repeated letters'],
    ['Хууууууй кто приедет', 'Хууууууй', 'repeated letters'],
    ['blyad, kogda svet dadut', 'blyad', 'transliteration'],
    ['pizdec, a ne shkola', 'pizdec', 'transliteration'],
    ['nahui takuyu administraciyu', 'nahui', 'transliteration'],
    ['ebal ya takie dorogi', 'ebal', 'transliteration'],
    ['п изда с водой', 'п изда', 'a letter split off the word'],
  ])('%s (%s)', (text, evidence) => {
    const screening = screenText(text);
    expect(screening.reasons).toContain('OBSCENE');
    expect(screening.evidence).toContain(evidence);
  });
});

describe('cl. 11 OBSCENE: decent words that contain a mat root are not obscene', () => {
  it.each([
    'Не надо оскорблять людей отписками',
    'Употреблять алкоголь на площадке запрещено',
    'Тариф вырос на сорок рублей, не хватает рубля',
    'Колеблющийся мост пора менять',
    'Хлеб не завозят по понедельникам',
    'Небо чёрное от дыма котельной',
    'Учебник истории с ошибками',
    'Ребята, когда включат отопление?',
    'Скипидаром пахнет в подъезде',
    'Команда волонтёров убрала берег',
    'Застраховать дом не дают, застрахуйте хоть площадку',
    'Командир пожарной части, мандат депутата, мандарины детям',
    'Истребление борщевика обещали в июне',
    'Корабля нет, грабли не выдали, сабля в музее',
    'Себе и тебе, погреб, гребля, оглоблю, стебель',
    'Спидометр, мудрый, премудрость, хулиган, страховка',
    'Бляха на ремне и бляшка на двери',
    'По блату дали квартиру',
    'Херсонская улица, херувим',
    'Сук на дереве у школы упал, сучки торчат',
    'Гондола на канатной дороге',
    'Блин, капец, фигня, хрен дождёшься',
    'т.е. блин, опять света нет',
    'Веб-сайт администрации не работает',
  ])('%s', (text) => {
    expect(reasonsOf(text)).not.toContain('OBSCENE');
  });
});

describe('cl. 11 INSULT: words that insult a person', () => {
  it.each([
    ['Вы идиоты, кто так строит', 'идиоты'],
    ['Глава, ты дебил', 'дебил'],
    ['Уроды, верните автобус', 'Уроды'],
    ['Ты мразь, а не депутат', 'мразь'],
    ['Твари, детей в холодной школе держите', 'Твари'],
    ['Скотина ты, Иван Петрович', 'Скотина'],
    ['Быдло в администрации всё провалило', 'Быдло'],
    ['Вы воры, украли деньги на капремонт', 'воры'],
    ['Вы — воры', 'воры'],
    ['Чиновники — воры, все это знают', 'воры'],
    ['Воры! Где деньги на дорогу?', 'Воры'],
    ['Клоуны, когда дорогу сделаете?', 'Клоуны'],
    ['Вы там все тупые что ли?', 'тупые'],
    ['Глава у нас дурак', 'дурак'],
    ['Мудаки из подрядчика', 'Мудаки'],
  ])('%s', (text, evidence) => {
    const screening = screenText(text);
    expect(screening.reasons).toContain('INSULT');
    expect(screening.evidence).toContain(evidence);
  });
});

describe('cl. 11 INSULT: sharp but decent criticism is answered, not excluded', () => {
  it.each([
    'Администрация бездействует',
    'Позор, третий месяц без воды',
    'Это безобразие',
    'Чиновники ничего не делают',
    'Ужасная работа',
    'Вы некомпетентны, раз за год не решили вопрос с водой',
    'Это же идиотизм — закрыть поликлинику',
    'Идиотская ситуация со справками',
    'Уродливый забор поставили вокруг школы',
    'Вор украл кабель с подстанции',
    'В подвале крысы бегают, дети боятся',
    'Мы не идиоты, видим, что асфальт в лужах',
    'Вы нас за дураков держите?',
    'Хватит валять дурака, сделайте дорогу',
    'Свинство так относиться к ветеранам',
    'Стыдно, господа депутаты, за такой бюджет',
  ])('%s', (text) => {
    expect(screenText(text)).toEqual({ excluded: false, reasons: [], evidence: [] });
  });
});

describe('cl. 11 THREAT: to the life, health or property of an official or their family', () => {
  it.each([
    ['Я тебя убью', 'тебя убью'],
    ['Сожгу твой дом', 'Сожгу твой дом'],
    ['Доберусь до твоих детей', 'Доберусь до твоих'],
    ['Глава администрации, жди гостей', 'жди гостей'],
    ['Убью главу при встрече', 'Убью главу'],
    ['Вас всех перестреляю, чиновники', 'Вас всех перестреляю'],
    ['Знаю, где ты живёшь', 'Знаю, где ты живёшь'],
    ['Тебе не жить, если школу закроешь', 'Тебе не жить'],
    ['Оглядывайся, когда выходишь', 'Оглядывайся'],
    ['Мэра бы повесить за такие тарифы', 'Мэра бы повесить'],
    ['Сломаю тебе ноги', 'Сломаю тебе'],
  ])('%s', (text, evidence) => {
    const screening = screenText(text);
    expect(screening.reasons).toContain('THREAT');
    expect(screening.evidence).toContain(evidence);
  });
});

describe('cl. 11 HARM_INTENT: a stated intent to harm someone or something', () => {
  it.each([
    ['Взорву!', 'Взорву'],
    ['Перестреляю всех в этой конторе', 'Перестреляю всех'],
    ['Подожгу администрацию', 'Подожгу администрацию'],
    ['Их всех надо расстрелять', 'всех надо расстрелять'],
    ['Возьму ружьё и приду разбираться', 'Возьму ружьё'],
    ['Готов взорвать этот водоканал', 'взорвать'],
    ['Убью соседа, который сливает мусор', 'Убью соседа'],
  ])('%s', (text, evidence) => {
    const screening = screenText(text);
    expect(screening.reasons).toEqual(['HARM_INTENT']);
    expect(screening.evidence).toContain(evidence);
  });
});

describe('cl. 11 THREAT and HARM_INTENT: events, figures of speech and decent plans are not threats', () => {
  it.each([
    'Убило всё желание к вам обращаться',
    'Сжечь мусор нельзя?',
    'Взорвалась труба на теплотрассе',
    'Вчера взорвался трансформатор',
    'Во дворе сожгли мусорный бак',
    'Дорога убита полностью',
    'Разнесу ваш ответ по всем инстанциям',
    'Хочу убить время в очереди с пользой',
    'Повесьте объявление о графике отключений',
    'Я тебя не убью, но жалобу напишу',
    'Сломаю себе ногу на вашем тротуаре',
    'Жди ответа как соловей лета',
    'Приду к вам на приём в четверг',
    'Буду жаловаться в прокуратуру',
  ])('%s', (text) => {
    expect(reasonsOf(text)).toEqual([]);
  });
});

describe('the report', () => {
  it('gives every match its reason, rule and [start, end) in the original text', () => {
    const text = 'Глава, ты мразь, х.у.й тебе, а не голос, я тебя убью';
    const report = inspectText(text);
    expect(report.reasons).toEqual(['THREAT', 'OBSCENE', 'INSULT']);
    for (const match of report.matches) expect(text.slice(match.start, match.end)).toBe(match.text);
    expect(report.byReason.OBSCENE.map((m) => m.text)).toEqual(['х.у.й']);
    expect(report.byReason.INSULT.map((m) => m.text)).toEqual(['мразь']);
    expect(report.byReason.THREAT.map((m) => m.text)).toEqual(['тебя убью']);
    expect(report.byReason.HARM_INTENT).toEqual([]);
  });

  it('lists reasons in the order of CONTRACT.md and each evidence once', () => {
    const screening = screenText('Бля, бля, вы идиоты');
    expect(screening).toEqual({ excluded: true, reasons: ['OBSCENE', 'INSULT'], evidence: ['Бля', 'бля', 'идиоты'] });
  });

  it('finds nothing in an empty or a non-Russian text', () => {
    expect(screenText('')).toEqual({ excluded: false, reasons: [], evidence: [] });
    expect(screenText('2024 — 5% 3.14 @home')).toEqual({ excluded: false, reasons: [], evidence: [] });
  });
});

describe('the lexicons', () => {
  it('refuses a bad pattern with its file and place', () => {
    const broken = { roots: [{ pattern: 'х(у' }], allow: [] };
    expect(() =>
      loadLexicon({ obscene: broken, insult: insultJson, harmIntent: harmIntentJson, threat: threatJson }),
    ).toThrow(new ScreeningLexiconError('obscene: roots[0]: Invalid regular expression: /х(у/: Unterminated group'));
  });

  it('refuses a file that is not an object', () => {
    expect(() =>
      loadLexicon({ obscene: [], insult: insultJson, harmIntent: harmIntentJson, threat: threatJson }),
    ).toThrow(ScreeningLexiconError);
  });
});
