import { Client } from 'pg';
import type { Viewer } from '@otklik/auth';
import { demoOrganization } from '@otklik/demo';
import { ALL_ORGS } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { createTestDatabase, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { INLINE_TRAINING_EXAMPLES, RoutingTrainer } from '../src/routing/routing.trainer';
import { CaseWorkflowDriver } from './case-workflow.driver';
import { WorkflowUnderTest } from './workflow.harness';

const KALMANSKY = demoOrganization('kalmansky').id;
const ROADS = demoOrganization('kalmansky.roads');
const HOUSING = demoOrganization('kalmansky.housing');

/** An archive of past appeals written for this test, as an administration would export it. */
const ROAD_TEXTS = [
  'Огромная яма на дороге у школы, машины ломают колёса',
  'Дорогу на Садовой не ремонтировали десять лет, сплошные ямы',
  'Асфальт на улице Мира разбит, ямы по колено',
  'Просим заделать ямы на дороге к кладбищу',
  'Грейдер не проходил, дорога размыта, не проехать',
  'Разбитая дорога на улице Гагарина, ямы и лужи',
  'После зимы дорога в ямах, ремонт асфальта не делали',
  'Яма на перекрёстке, асфальт провалился',
];
const WATER_TEXTS = [
  'Третий день нет воды в доме на Ленина',
  'Из крана течёт ржавая вода, водоканал молчит',
  'Прорвало водопровод, вода бьёт из-под земли',
  'Нет холодной воды во всём доме с утра',
  'Когда дадут воду? Водоснабжение отключено без предупреждения',
  'Низкое давление воды, на пятый этаж вода не поднимается',
  'Течёт труба в подвале, подвал затоплен водой',
  'Горячей воды нет вторую неделю',
];
const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
const ARCHIVE = [
  'Текст Сообщения;Тематика;Ответственное лицо',
  ...ROAD_TEXTS.map((t) => [t, 'Ямы на дорогах', ROADS.name].map(quote).join(';')),
  // Bodies by code, in any case, and one by name with quotes around it.
  ...WATER_TEXTS.map((t, i) =>
    [t, 'Водоснабжение', i === 0 ? `«${HOUSING.name}»` : HOUSING.code.toUpperCase()].map(quote).join(';'),
  ),
  [quote('Мусор не вывозят третью неделю'), quote('Вывоз мусора'), quote('Региональный оператор по отходам')].join(';'),
  [quote('   '), quote('Вывоз мусора'), quote(HOUSING.code)].join(';'),
  [quote(ROAD_TEXTS[0]), quote('Ямы на дорогах'), quote(ROADS.code)].join(';'),
].join('\n');

/** A topic taxonomy in the ЦУР classifier's shape, written for this test. */
const TAXONOMY = {
  groups: [
    {
      group: 'ДОРОГИ',
      topics: [{ topic: 'ЯМЫ И ВЫБОИНЫ НА ДОРОГАХ', description: 'Сообщения о ямах, выбоинах, разрушении асфальта.' }],
    },
    {
      group: 'ЖКХ',
      topics: [
        { topic: 'ОТСУТСТВИЕ ВОДОСНАБЖЕНИЯ', description: 'Нет холодной или горячей воды, аварии водопровода.' },
      ],
    },
  ],
};

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

interface Figures {
  version: number;
  examples: number;
  labels: number;
  heldOutTop3: number | null;
}
interface RoutingModel {
  organizationId: string;
  status: string;
  routing: Figures | null;
  topics: Figures | null;
  correctionsSinceTraining: number;
}
const MODEL_FIELDS =
  'organizationId status correctionsSinceTraining routing { version examples labels heldOutTop3 } topics { version examples labels heldOutTop3 }';

interface Suggestions {
  routingSuggestions: Array<{ organization: { code: string }; score: number }>;
  topicSuggestions: Array<{ name: string; code: string | null; source: string; score: number }>;
}

describe('topics and routing suggestions (docs/routing.md): learnt from an archive, improved by routing decisions', () => {
  let workflow: WorkflowUnderTest;
  let database: { url: string; drop: () => Promise<void> };
  let driver: CaseWorkflowDriver;
  let coordinator: Viewer;
  let official: Viewer;

  const suggestionsOf = async (caseId: string, viewer: Viewer = official): Promise<Suggestions> => {
    const answer = await workflow.graphql<{ case: Suggestions }>(
      `query ($id: ID!) { case(id: $id) {
         routingSuggestions { organization { code } score } topicSuggestions { name code source score } } }`,
      { id: caseId },
      viewer,
    );
    expect(answer.errors).toBeUndefined();
    return answer.data?.case as Suggestions;
  };
  const modelOf = async (viewer: Viewer = coordinator): Promise<RoutingModel> => {
    const answer = await workflow.graphql<{ routingModel: RoutingModel }>(
      `query ($org: ID!) { routingModel(organizationId: $org) { ${MODEL_FIELDS} } }`,
      { org: KALMANSKY },
      viewer,
    );
    expect(answer.errors).toBeUndefined();
    return answer.data?.routingModel as RoutingModel;
  };
  const importArchive = (viewer: Viewer, content: string) =>
    workflow.graphql<{
      importAppealsArchive: {
        rows: number;
        stored: number;
        duplicates: number;
        unmatched: number;
        rejected: number;
        problems: Array<{ row: number; status: string; problem: string | null }>;
        model: RoutingModel;
      };
    }>(
      `mutation ($input: ImportAppealsArchiveInput!) { importAppealsArchive(input: $input) {
         rows stored duplicates unmatched rejected problems { row status problem } model { ${MODEL_FIELDS} } } }`,
      { input: { organizationId: KALMANSKY, contentBase64: base64(content) } },
      viewer,
    );

  beforeAll(async () => {
    database = await createTestDatabase('wf_routing');
    workflow = await WorkflowUnderTest.start({
      database,
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
    driver = new CaseWorkflowDriver(workflow);
    coordinator = await workflow.viewer('coordinator');
    official = await workflow.viewer('official');
  }, 60_000);
  afterAll(async () => {
    await workflow?.stop();
  });

  it('before any archive: no routing suggestion, and no model', async () => {
    const kase = await driver.open(KALMANSKY, { text: 'Огромная яма на дороге возле дома 5' });
    expect(await suggestionsOf(kase.id)).toEqual({ routingSuggestions: [], topicSuggestions: [] });
    const answer = await workflow.graphql(
      'query ($org: ID!) { routingModel(organizationId: $org) { organizationId } }',
      {
        org: KALMANSKY,
      },
      coordinator,
    );
    expect(answer.data).toEqual({ routingModel: null });
  });

  it('with the organisation’s taxonomy, topics are suggested by similarity to its descriptions', async () => {
    const answer = await workflow.graphql<{ importTopicTaxonomy: { topics: number; groups: number; version: number } }>(
      'mutation ($input: ImportTopicTaxonomyInput!) { importTopicTaxonomy(input: $input) { topics groups version } }',
      { input: { organizationId: KALMANSKY, contentBase64: base64(JSON.stringify(TAXONOMY)) } },
      coordinator,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.importTopicTaxonomy).toEqual({ topics: 2, groups: 2, version: 1 });
    const kase = await driver.open(KALMANSKY, { text: 'Вторую неделю нет горячей воды в доме' });
    const { topicSuggestions } = await suggestionsOf(kase.id);
    expect(topicSuggestions[0]).toMatchObject({ name: 'ОТСУТСТВИЕ ВОДОСНАБЖЕНИЯ', code: '2.1', source: 'TAXONOMY' });
  });

  it('only a COORDINATOR imports an archive', async () => {
    const answer = await importArchive(official, ARCHIVE);
    expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('importing the archive stores its rows, reports each row not stored with why, and trains the models', async () => {
    const answer = await importArchive(coordinator, ARCHIVE);
    expect(answer.errors).toBeUndefined();
    const result = answer.data?.importAppealsArchive;
    expect(result).toMatchObject({ rows: 19, stored: 16, duplicates: 1, unmatched: 1, rejected: 1 });
    expect(result?.problems).toEqual([
      {
        row: 18,
        status: 'UNMATCHED',
        problem:
          'the body "Региональный оператор по отходам" is not the code or name of an organisation here: kept for its topic only',
      },
      { row: 19, status: 'REJECTED', problem: 'the text is empty' },
      { row: 20, status: 'DUPLICATE', problem: 'the same text is stored for this organisation already' },
    ]);
    expect(result?.model).toMatchObject({
      organizationId: KALMANSKY,
      status: 'READY',
      correctionsSinceTraining: 0,
      routing: { version: 1, examples: 16, labels: 2 },
      topics: { version: 1, examples: 17, labels: 3 },
    });
    // Fewer than 20 examples: too few to hold a fifth out and measure it.
    expect(result?.model.routing?.heldOutTop3).toBeNull();
  });

  it('a case gets the organisations and topics the archive teaches, best first', async () => {
    const road = await driver.open(KALMANSKY, { text: 'На улице Школьной ямы, асфальт разбит' });
    const { routingSuggestions, topicSuggestions } = await suggestionsOf(road.id);
    expect(routingSuggestions.map((s) => s.organization.code)).toEqual([ROADS.code, HOUSING.code]);
    expect(routingSuggestions[0].score).toBeGreaterThan(routingSuggestions[1].score);
    // The trained topic is the archive's; it is not the taxonomy's topic, so it has no code.
    expect(topicSuggestions[0]).toMatchObject({ name: 'Ямы на дорогах', code: null, source: 'TRAINED' });

    const water = await driver.open(KALMANSKY, { text: 'В доме нет воды с самого утра' });
    expect((await suggestionsOf(water.id)).routingSuggestions[0].organization.code).toBe(HOUSING.code);
  });

  it('routing a case (here against the suggestion) is counted as a correction, and retraining learns from it', async () => {
    const text = 'Во дворе провалился асфальт над трубой, течёт вода';
    const kase = await driver.open(KALMANSKY, { text });
    const answer = await workflow.graphql(
      'mutation ($input: RouteCaseInput!) { routeCase(input: $input) { status } }',
      { input: { caseId: kase.id, organizationId: HOUSING.id } },
      official,
    );
    expect(answer.errors).toBeUndefined();
    expect((await modelOf()).correctionsSinceTraining).toBe(1);
    const stored = await workflow.inScope(ALL_ORGS, () =>
      workflow.app
        .get(UnitOfWork)
        .manager.query<Array<{ organization_id: string; origin: string; text: string; created_by: string }>>(
          'select organization_id, origin, text, created_by from workflow.routing_examples where case_id = $1',
          [kase.id],
        ),
    );
    expect(stored).toEqual([{ organization_id: HOUSING.id, origin: 'CORRECTION', text, created_by: 'official' }]);

    const retrained = await workflow.graphql<{ retrainRoutingModel: RoutingModel }>(
      `mutation ($org: ID!) { retrainRoutingModel(organizationId: $org) { ${MODEL_FIELDS} } }`,
      { org: KALMANSKY },
      coordinator,
    );
    expect(retrained.errors).toBeUndefined();
    expect(retrained.data?.retrainRoutingModel).toMatchObject({
      status: 'READY',
      correctionsSinceTraining: 0,
      routing: { version: 2, examples: 17 },
    });
  });

  it('a large archive is trained in the background, by one replica at a time (an advisory lock per tree)', async () => {
    // Distinct texts from templates: more examples than a request trains by itself.
    const streets = ['Ленина', 'Мира', 'Садовой', 'Школьной', 'Гагарина', 'Лесной', 'Новой', 'Полевой'];
    const rows = Array.from({ length: INLINE_TRAINING_EXAMPLES + 8 }, (_, i) => {
      const street = `${streets[i % streets.length]} ${i + 1}`;
      return i % 2 === 0
        ? [`Яма на дороге по улице ${street}, асфальт разбит`, 'Ямы на дорогах', ROADS.code]
        : [`Нет воды в доме на улице ${street}`, 'Водоснабжение', HOUSING.code];
    });
    const trainer = workflow.app.get(RoutingTrainer);
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      // Another replica is training the tree and holds its lock: this one skips it, and the
      // import leaves the training queued.
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock(hashtext($1))', [`workflow.routing-training:${KALMANSKY}`]);
      const answer = await importArchive(coordinator, rows.map((r) => r.map(quote).join(',')).join('\n'));
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.importAppealsArchive).toMatchObject({ stored: rows.length, model: { status: 'QUEUED' } });
      expect(await trainer.train(KALMANSKY, false)).toBe('BUSY');
      expect((await modelOf()).status).toBe('QUEUED');
      await holder.query('commit');
    } finally {
      await holder.end();
    }
    // The replica's loop (woken by the import) or this call trains it, whichever takes the lock first.
    const model = await waitFor(
      'the queued training',
      async () => {
        await trainer.retrainDue();
        const current = await modelOf();
        return current.status === 'READY' ? current : undefined;
      },
      60_000,
    );
    expect(model.routing).toMatchObject({ version: 3, labels: 2, examples: 17 + rows.length, heldOutTop3: 1 });
    expect(await trainer.retrainDue()).toBe(0);
  }, 120_000);

  it('refuses an organisation the viewer cannot see, and an archive that is not CSV of appeals', async () => {
    const buranovskyOfficial = await workflow.viewer('buranovsky.official');
    const hidden = await workflow.graphql(
      'query ($org: ID!) { routingModel(organizationId: $org) { organizationId } }',
      { org: KALMANSKY },
      buranovskyOfficial,
    );
    expect(hidden.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const bad = await importArchive(coordinator, 'text,author\nЯма,Иван\n');
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].message).toMatch(/neither a topic/);
  });
});
