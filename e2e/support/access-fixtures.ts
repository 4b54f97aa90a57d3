import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { bundledYears } from '@otklik/calendar';
import { CaseStatus, Role, ROLES } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { developmentToken, Stack, waitFor } from '@otklik/testing';
import { CaseClient } from './cases';
import { graphql, GraphQLResponse, signedWebhook } from './clients';

/*
 * What the access matrix (access-matrix.ts) needs in the organisations it probes: staff of every
 * role on two levels of the tree, and cases, messages, sources, imports, notifications and models
 * of each organisation — all made through the public API (the signed generic webhook, GraphQL)
 * except the sel'sovet staff the demo lacks, which no API appoints yet.
 */

export const ORG = {
  kalmansky: demoOrganization('kalmansky').id,
  housing: demoOrganization('kalmansky.housing').id,
  buranovsky: demoOrganization('buranovsky').id,
  shadrinsky: demoOrganization('shadrinsky').id,
} as const;

/** Who calls: the district's staff (own and child probes) or a sel'sovet's (foreign and parent probes). */
export type Tier = 'district' | 'selsovet';

export const HOME: Record<Tier, string> = { district: ORG.kalmansky, selsovet: ORG.buranovsky };

export const LOGINS: Record<Tier, Record<Role, string>> = {
  district: {
    COORDINATOR: 'coordinator',
    OFFICIAL: 'official',
    RECEPTION: 'reception',
    EXECUTOR: 'executor',
    HEAD: 'head',
  },
  selsovet: {
    COORDINATOR: 'buranovsky.coordinator',
    OFFICIAL: 'buranovsky.official',
    RECEPTION: 'buranovsky.reception',
    EXECUTOR: 'buranovsky.executor',
    HEAD: 'buranovsky.head',
  },
};

/** The organisations probed, by a short name (fixture logins carry it). */
export const PROBED = { kalmansky: ORG.kalmansky, buranovsky: ORG.buranovsky, shadrinsky: ORG.shadrinsky } as const;
export type Probed = keyof typeof PROBED;
export const probedName = (organizationId: string): Probed =>
  (Object.keys(PROBED) as Probed[]).find((name) => PROBED[name] === organizationId) ?? 'kalmansky';

/**
 * Staff the demo does not have, written into workflow's tables as the database owner before the
 * apps are asked about them (the fixtures need them before any grantRole): the sel'sovet's
 * coordinator, reception and head (CONTRACT.md names only its official and executor); in each
 * probed organisation, people whose roles the staff-access probes grant, withdraw or revoke; and
 * people of each role who sign themselves out (signOut refuses every token of its caller).
 */
const EXTRA_STAFF: ReadonlyArray<{ login: string; name: string; roles: Array<[Role, string]> }> = [
  {
    login: 'buranovsky.coordinator',
    name: 'Координатор Бурановского сельсовета',
    roles: [['COORDINATOR', ORG.buranovsky]],
  },
  { login: 'buranovsky.reception', name: 'Приёмная Бурановского сельсовета', roles: [['RECEPTION', ORG.buranovsky]] },
  { login: 'buranovsky.head', name: 'Глава Бурановского сельсовета', roles: [['HEAD', ORG.buranovsky]] },
  ...(Object.keys(PROBED) as Probed[]).flatMap((name) => [
    {
      login: `matrix.grant.${name}`,
      name: 'Сотрудник (выдача роли)',
      roles: [['EXECUTOR', PROBED[name]]] as Array<[Role, string]>,
    },
    {
      login: `matrix.withdraw.${name}`,
      name: 'Сотрудник (отзыв роли)',
      roles: [
        ['EXECUTOR', PROBED[name]],
        ['HEAD', PROBED[name]],
      ] as Array<[Role, string]>,
    },
    {
      login: `matrix.revoke.${name}`,
      name: 'Сотрудник (завершение сеансов)',
      roles: [['EXECUTOR', PROBED[name]]] as Array<[Role, string]>,
    },
  ]),
  ...ROLES.map((role) => ({
    login: `matrix.signout.${role.toLowerCase()}`,
    name: `Сотрудник (выход, ${role})`,
    roles: [[role, ORG.kalmansky]] as Array<[Role, string]>,
  })),
];

/** Who calls signOut in the role's cell: it ends every session of its caller. */
export const SIGN_OUT_CALLERS = Object.fromEntries(
  ROLES.map((role) => [role, `matrix.signout.${role.toLowerCase()}`]),
) as Record<Role, string>;

/** Whose notifications the OWN_ONLY probes try to reach: a person who never calls in those probes. */
export const OBSERVER = 'buranovsky.official';

/** The preference kind the observer chose (EMAIL off), and the one the viewers set in their probe. */
export const OBSERVER_KIND = 'CASE_OPENED';
export const VIEWER_KIND = 'DEADLINE_AT_RISK';

const WEBHOOK_SECRET = 'matrix-webhook-secret-1';
const WEBHOOKS: Record<string, { id: string; secret: string }> = {
  [ORG.kalmansky]: { id: 'demo-webhook', secret: 'demo-secret' },
  [ORG.buranovsky]: { id: 'matrix-buranovsky', secret: WEBHOOK_SECRET },
  [ORG.shadrinsky]: { id: 'matrix-shadrinsky', secret: WEBHOOK_SECRET },
};

/** Complaints (critical, cl. 1) to open cases with; each fixture adds its own token. */
const COMPLAINTS = [
  'Третий день нет воды в доме на улице Ленина, когда дадут воду? Разберитесь!',
  'Яма на дороге у школы так и не заделана, машины бьют колёса, когда отремонтируете?',
  'Не вывозят мусор уже две недели, контейнеры переполнены, жалуемся в который раз',
  'На улице Садовой не горят фонари, дети идут в школу в темноте, примите меры',
];
/** Praise (not critical): kept without a case, for uncasedMessages and openCase. */
const PRAISE = 'Спасибо администрации за новую детскую площадку, дети очень довольны!';
/** An insult screening flags (cl. 11): a case whose screening proposal screeningReview counts. */
const FLAGGED = 'Вы идиоты, кто так строит дорогу? Яма на яме, третий год жалуемся!';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;

/** Steps that take a case from one status to the next, each as the district's role whose step it is. */
const PATH: ReadonlyArray<{ to: CaseStatus; login: string; mutation: string; input: Record<string, unknown> }> = [
  { to: 'ROUTED', login: 'official', mutation: 'routeCase', input: {} },
  { to: 'REGISTERED', login: 'reception', mutation: 'registerCase', input: {} },
  { to: 'ASSIGNED', login: 'reception', mutation: 'assignCase', input: { executorLogin: 'executor' } },
  {
    to: 'DRAFT_SUBMITTED',
    login: 'executor',
    mutation: 'submitDraft',
    input: { kind: 'FINAL', text: 'Воду дадут сегодня к 18:00, бригада водоканала уже на месте.' },
  },
  { to: 'ANSWERED', login: 'official', mutation: 'approveDraft', input: {} },
];

export interface CaseFixture {
  caseId: string;
  messageId: string;
  /** The author's id on the platform (VK), theirs alone. */
  authorId: string;
  /** A word of the message's text no other fixture has (the cases text filter finds it). */
  token: string;
  organizationId: string;
}

export class AccessFixtures {
  private readonly tokens = new Map<string, string>();
  private readonly memo = new Map<string, Promise<unknown>>();
  /** Messages waiting for their case: one poll of the newest cases answers all of them. */
  private readonly waiting = new Map<string, (caseId: string) => void>();
  private polling?: Promise<void>;
  private serial = 0;

  private constructor(
    readonly stack: Stack,
    private readonly steps: CaseClient<{ id: string; status: string }>,
  ) {}

  /** Appoints the missing sel'sovet staff and makes the webhook sources of both sel'sovets. */
  static async open(stack: Stack, databaseUrl: string): Promise<AccessFixtures> {
    await appointExtraStaff(databaseUrl);
    const steps = await CaseClient.open<{ id: string; status: string }>(stack, 'id status', [
      'official',
      'reception',
      'executor',
    ]);
    const fixtures = new AccessFixtures(stack, steps);
    for (const org of [ORG.buranovsky, ORG.shadrinsky]) {
      await fixtures.ok(
        'coordinator',
        'createSource',
        'mutation ($input: CreateSourceInput!) { createSource(input: $input) { source { id } } }',
        {
          input: {
            organizationId: org,
            id: WEBHOOKS[org].id,
            platform: 'OTHER',
            kind: 'GENERIC_WEBHOOK',
            name: 'Мониторинг (матрица доступа)',
            secret: WEBHOOK_SECRET,
          },
        },
      );
    }
    return fixtures;
  }

  async token(login: string): Promise<string> {
    let token = this.tokens.get(login);
    if (!token) {
      token = await developmentToken(login);
      this.tokens.set(login, token);
    }
    return token;
  }

  async call<T = Record<string, unknown>>(
    login: string,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<T>> {
    return graphql<T>(this.stack.graphqlUrl, await this.token(login), query, variables);
  }

  /** A call that must succeed (fixtures): its errors fail the test that needed it. */
  async ok<T = Record<string, unknown>>(
    login: string,
    what: string,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    const answer = await this.call<T>(login, query, variables);
    if (answer.errors || !answer.data) throw new Error(`fixture ${what} as ${login}: ${JSON.stringify(answer.errors)}`);
    return answer.data;
  }

  /** Each fixture once per key, however many cells ask for it at the same time. */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let made = this.memo.get(key) as Promise<T> | undefined;
    if (!made) {
      made = make();
      this.memo.set(key, made);
    }
    return made;
  }

  private uniqueToken(): string {
    this.serial += 1;
    return `мтрц${this.serial}x${randomUUID().slice(0, 8)}`;
  }

  /** A citizen's message to the organisation's generic webhook: its id once intake stored it, and its author's. */
  async webhook(organizationId: string, text: string): Promise<{ messageId: string; authorId: string }> {
    const source = WEBHOOKS[organizationId];
    if (!source) throw new Error(`no webhook source for organisation ${organizationId}`);
    // An author of their own: repeat detection (cl. 9) joins nothing across fixtures.
    const authorId = `matrix-${randomUUID()}`;
    const response = await signedWebhook(`${this.stack.urls.intake}/webhooks/generic/${source.id}`, source.secret, {
      externalId: `matrix-${randomUUID()}`,
      url: `https://vk.com/wall-1_${this.serial}?reply=${randomUUID().slice(0, 6)}`,
      platform: 'VK',
      text,
      postedAt: new Date().toISOString(),
      author: { id: authorId, name: 'Житель Калманского района' },
    });
    if (response.status !== 202) throw new Error(`the webhook answered ${response.status}: ${await response.text()}`);
    return { messageId: ((await response.json()) as { messageId: string }).messageId, authorId };
  }

  /**
   * A case of the organisation in `status` (DETECTED … ANSWERED), each step taken by the
   * district's role whose step it is; the same key gives the same case.
   */
  caseIn(organizationId: string, status: CaseStatus, key: string, text?: string): Promise<CaseFixture> {
    return this.once(`case:${organizationId}:${status}:${key}`, async () => {
      const token = this.uniqueToken();
      const complaint = text ?? COMPLAINTS[this.serial % COMPLAINTS.length];
      const { messageId, authorId } = await this.webhook(organizationId, `${complaint} ${token}`);
      const caseId = await this.caseOfMessage(messageId);
      const until = PATH.findIndex((s) => s.to === status);
      if (status !== 'DETECTED' && until < 0) throw new Error(`no fixture path to ${status}`);
      for (const step of PATH.slice(0, until + 1)) {
        const extra = step.mutation === 'routeCase' ? { organizationId } : {};
        await this.steps.step(step.login, step.mutation, { caseId, ...step.input, ...extra });
      }
      return { caseId, messageId, authorId, token, organizationId };
    });
  }

  /** The case the read probes share: ASSIGNED to the district's executor. */
  readCase(organizationId: string): Promise<CaseFixture> {
    return this.caseIn(organizationId, 'ASSIGNED', 'read');
  }

  /** A case nobody is assigned to (DETECTED): only staff other than executors may see it. */
  unassignedCase(organizationId: string): Promise<CaseFixture> {
    return this.caseIn(organizationId, 'DETECTED', 'read');
  }

  /** A case of the organisation whose author the district's official has read (a read personalDataReads lists). */
  authorRead(organizationId: string): Promise<CaseFixture> {
    return this.once(`author-read:${organizationId}`, async () => {
      const kase = await this.caseIn(organizationId, 'DETECTED', 'author-read');
      await this.ok(
        'official',
        'the author of a case',
        'query ($id: ID!) { case(id: $id) { message { author { name } } } }',
        {
          id: kase.caseId,
        },
      );
      return kase;
    });
  }

  /** A case screening flagged (an insult, cl. 11), for screeningReview. */
  flaggedCase(organizationId: string): Promise<CaseFixture> {
    return this.caseIn(organizationId, 'DETECTED', 'flagged', FLAGGED);
  }

  /** Two ASSIGNED cases of the organisation linked by the district's official, for unlinkCases. */
  linkedPair(organizationId: string): Promise<[CaseFixture, CaseFixture]> {
    return this.once(`linked:${organizationId}`, async () => {
      const [a, b] = await Promise.all([
        this.caseIn(organizationId, 'ASSIGNED', 'linked-a'),
        this.caseIn(organizationId, 'ASSIGNED', 'linked-b'),
      ]);
      await this.steps.step('official', 'linkCases', { caseId: a.caseId, relatedCaseId: b.caseId });
      return [a, b];
    });
  }

  /** The id of an answered case's publication (MANUAL: the generic webhook cannot publish). */
  publicationOf(organizationId: string, key: string): Promise<string> {
    return this.once(`publication:${organizationId}:${key}`, async () => {
      const { caseId } = await this.caseIn(organizationId, 'ANSWERED', `publication:${key}`);
      return waitFor(`the publication of case ${caseId}`, async () => {
        const answer = await this.call<{ case: { publications: Array<{ id: string }> } | null }>(
          'official',
          'query ($id: ID!) { case(id: $id) { publications { id } } }',
          { id: caseId },
        );
        return answer.data?.case?.publications[0]?.id;
      });
    });
  }

  /** A message kept without a case (praise, not critical), once workflow lists it. */
  uncasedMessage(organizationId: string, key: string): Promise<string> {
    return this.once(`uncased:${organizationId}:${key}`, async () => {
      const { messageId } = await this.webhook(organizationId, `${PRAISE} ${this.uniqueToken()}`);
      await waitFor(
        `message ${messageId} kept without a case`,
        async () => {
          const answer = await this.call<{ uncasedMessages: { edges: Array<{ node: { id: string } }> } }>(
            'official',
            '{ uncasedMessages(first: 100) { edges { node { id } } } }',
          );
          return answer.data?.uncasedMessages.edges.some((e) => e.node.id === messageId) ? true : undefined;
        },
        20_000,
      );
      return messageId;
    });
  }

  /** A generic webhook source of the organisation for the source probes (never used for messages). */
  probeSource(organizationId: string): Promise<string> {
    return this.once(`source:${organizationId}`, async () => {
      const id = `matrix-probe-${organizationId.slice(-4)}`;
      await this.ok(
        'coordinator',
        'createSource',
        'mutation ($input: CreateSourceInput!) { createSource(input: $input) { source { id } } }',
        {
          input: {
            organizationId,
            id,
            platform: 'OTHER',
            kind: 'GENERIC_WEBHOOK',
            name: 'Источник для проб (матрица доступа)',
          },
        },
      );
      return id;
    });
  }

  /** One row imported from CSV into the organisation by the district's official. */
  messageImport(organizationId: string): Promise<string> {
    return this.once(`import:${organizationId}`, async () => {
      const data = await this.ok<{ importMessages: { id: string } }>(
        'official',
        'importMessages',
        'mutation ($input: ImportMessagesInput!) { importMessages(input: $input) { id } }',
        { input: importInput(organizationId, this.uniqueToken()) },
      );
      return data.importMessages.id;
    });
  }

  /** A routing model of the district's tree, so that routingModel has something to show for each organisation. */
  routingModel(): Promise<void> {
    return this.once('routing-model', async () => {
      await this.ok('coordinator', 'importAppealsArchive', ARCHIVE_MUTATION, {
        input: { organizationId: ORG.kalmansky, contentBase64: archiveOf(ORG.kalmansky) },
      });
    });
  }

  /**
   * The observer's first notification (of a case opened in their sel'sovet) and their EMAIL choice
   * for OBSERVER_KIND: what OWN_ONLY probes must never reach or change.
   */
  observerNotification(): Promise<string> {
    return this.once('observer-notification', async () => {
      await this.caseIn(ORG.buranovsky, 'DETECTED', 'observer');
      await this.ok(
        OBSERVER,
        'setNotificationPreference',
        'mutation { setNotificationPreference(kind: "' +
          OBSERVER_KIND +
          '", channel: EMAIL, enabled: false) { kind } }',
      );
      return waitFor(
        `a notification of ${OBSERVER}`,
        async () => (await this.notificationsOf(OBSERVER))[0]?.id,
        20_000,
      );
    });
  }

  async notificationsOf(login: string): Promise<Array<{ id: string; readAt: string | null }>> {
    const answer = await this.call<{
      notifications: { edges: Array<{ node: { id: string; readAt: string | null } }> };
    }>(login, '{ notifications(first: 100) { edges { node { id readAt } } } }');
    return answer.data?.notifications.edges.map((e) => e.node) ?? [];
  }

  /** The observer's preference for `kind` on EMAIL, as the observer reads it. */
  async observerPreference(kind: string): Promise<{ enabled: boolean; chosen: boolean } | undefined> {
    const answer = await this.call<{
      notificationPreferences: Array<{ kind: string; channel: string; enabled: boolean; chosen: boolean }>;
    }>(OBSERVER, '{ notificationPreferences { kind channel enabled chosen } }');
    return answer.data?.notificationPreferences.find((p) => p.kind === kind && p.channel === 'EMAIL');
  }

  /** The case workflow opened for a message: one poll of the newest fixture cases serves every waiter. */
  private caseOfMessage(messageId: string): Promise<string> {
    const found = new Promise<string>((resolve) => this.waiting.set(messageId, resolve));
    this.polling ??= this.poll().finally(() => (this.polling = undefined));
    return Promise.race([
      found,
      new Promise<string>((_, reject) =>
        setTimeout(() => reject(new Error(`no case for message ${messageId} within 30 s`)), 30_000).unref(),
      ),
    ]);
  }

  private async poll(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (this.waiting.size > 0 && Date.now() < deadline) {
      const answer = await this.call<{ cases: { edges: Array<{ node: { id: string; message: { id: string } } }> } }>(
        'coordinator',
        '{ cases(first: 100, filter: { text: "мтрц" }) { edges { node { id message { id } } } } }',
      );
      for (const { node } of answer.data?.cases.edges ?? []) {
        const resolve = this.waiting.get(node.message.id);
        if (resolve) {
          this.waiting.delete(node.message.id);
          resolve(node.id);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

export const ARCHIVE_MUTATION =
  'mutation ($input: ImportAppealsArchiveInput!) { importAppealsArchive(input: $input) { rows stored } }';

/** A small archive of past appeals whose bodies are the organisation itself (docs/routing.md). */
export function archiveOf(organizationId: string): string {
  const code = [...Object.entries(ORG)].find(([, id]) => id === organizationId)?.[0] ?? 'kalmansky';
  const body = code === 'housing' ? 'kalmansky.housing' : code;
  const rows = [
    ['Третий день нет воды в доме на Ленина', 'Водоснабжение'],
    ['Из крана течёт ржавая вода, водоканал молчит', 'Водоснабжение'],
    ['Яма на дороге у школы, машины бьют колёса', 'Ямы на дорогах'],
    ['Асфальт разрушен на всей улице Мира', 'Ямы на дорогах'],
  ];
  return base64(
    [
      'Текст Сообщения;Тематика;Ответственное лицо',
      ...rows.map(([t, topic]) => [t, topic, body].map(quote).join(';')),
    ].join('\n'),
  );
}

/** A topic taxonomy in the ЦУР classifier's shape (docs/routing.md). */
export const TAXONOMY = base64(
  JSON.stringify({
    groups: [
      { group: 'ЖКХ', topics: [{ topic: 'ОТСУТСТВИЕ ВОДОСНАБЖЕНИЯ', description: 'Нет холодной или горячей воды.' }] },
    ],
  }),
);

/** importMessages' input: one complaint as a CSV row (docs/intake-feeds-imports.md). */
export function importInput(organizationId: string, token: string): Record<string, unknown> {
  const csv = ['text;postedAt', `${quote(`${COMPLAINTS[0]} ${token}`)};${new Date(Date.now() - 60_000).toISOString()}`];
  return { organizationId, fileName: 'matrix.csv', format: 'CSV', contentBase64: base64(csv.join('\n')) };
}

/** A calendar year as loadWorkingCalendarYear takes it: the bundled 2024, loaded again unchanged. */
export function calendarYearInput(): Record<string, unknown> {
  const year = bundledYears.find((y) => y.year === 2024);
  return { year: 2024, data: JSON.stringify(year), reason: 'матрица доступа: тот же календарь ещё раз' };
}

async function appointExtraStaff(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const [i, s] of EXTRA_STAFF.entries()) {
      const id = `0b6f4a5e-0000-4000-8009-${String(i + 1).padStart(12, '0')}`;
      await client.query(
        'insert into workflow.users (id, login, display_name, email) values ($1, $2, $3, $4) on conflict do nothing',
        [id, s.login, s.name, `${s.login}@kalmansky.example`],
      );
      for (const [role, organizationId] of s.roles) {
        await client.query(
          'insert into workflow.role_assignments (user_id, organization_id, role) values ($1, $2, $3) on conflict do nothing',
          [id, organizationId, role],
        );
      }
    }
  } finally {
    await client.end();
  }
}
