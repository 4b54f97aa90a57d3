import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse } from 'graphql';
import { ROLES, Role } from '@otklik/contracts';
import { repositoryRoot } from '@otklik/testing';
import {
  AccessFixtures,
  archiveOf,
  ARCHIVE_MUTATION,
  calendarYearInput,
  HOME,
  importInput,
  LOGINS,
  OBSERVER,
  OBSERVER_KIND,
  ORG,
  probedName,
  SIGN_OUT_CALLERS,
  TAXONOMY,
  Tier,
  VIEWER_KIND,
} from './access-fixtures';

/*
 * Tenant isolation, proven (issue 7): ONE table — every root field of the public schema (Query,
 * Mutation, Subscription) with who may call it and what each caller gets for a target of their own
 * organisation, of one below it and of an unrelated one. Expectations come from REQUIREMENTS.md
 * ("Who uses it", the clauses) and CONTRACT.md; where the code answers otherwise for a reason that
 * is not a leak, the entry says so in `deviations`, with why (tmp/sec-f.md lists them for a
 * decision). e2e/access-matrix.e2e-spec.ts generates one test per field × role × relation from it,
 * and fails when a root field of the schema has no entry.
 */

/**
 * Whose target the probe aims at, and who calls:
 * - own: the district's staff (kalmansky) on the district's own case / message / source / organisation;
 * - child: the district's staff on a sel'sovet below it (buranovsky);
 * - foreign: a sel'sovet's staff (buranovsky) on another sel'sovet (shadrinsky), unrelated to theirs;
 * - parent: a sel'sovet's staff on the district above them (REQUIREMENTS: a role sees its
 *   organisation and those below, so this is foreign too);
 * - self: fields about the viewer (notifications, me): someone else's item is what is probed;
 * - none: fields of no organisation (screenText): the district's staff call it.
 */
export type Relation = 'own' | 'child' | 'foreign' | 'parent' | 'self' | 'none';
export const ORGANISATION_RELATIONS: readonly Relation[] = ['own', 'child', 'foreign', 'parent'];

export const TARGET: Record<'own' | 'child' | 'foreign' | 'parent', { tier: Tier; org: string }> = {
  own: { tier: 'district', org: ORG.kalmansky },
  child: { tier: 'district', org: ORG.buranovsky },
  foreign: { tier: 'selsovet', org: ORG.shadrinsky },
  parent: { tier: 'selsovet', org: ORG.kalmansky },
};

/**
 * - OK: data, or a domain error that shows authorisation passed (CONFLICT, BAD_USER_INPUT);
 * - FORBIDDEN, NOT_FOUND (the error, or null for a nullable field);
 * - EMPTY: a list (or report) without the target's items;
 * - DENIED: any refusal (FORBIDDEN, NOT_FOUND, EMPTY, or a domain error where the probe needs
 *   success) — where REQUIREMENTS ask only that nothing of a foreign organisation is shown or
 *   changed, not in which form;
 * - OWN_ONLY: the answer is about the viewer alone: someone else's item is neither shown nor changed.
 */
export type Outcome = 'OK' | 'FORBIDDEN' | 'NOT_FOUND' | 'EMPTY' | 'DENIED' | 'OWN_ONLY';

export type RootType = 'Query' | 'Mutation' | 'Subscription';

/** One cell as it runs: the caller, the target and a key for fixtures of its own. */
export interface Cell {
  field: string;
  variant?: string;
  role: Role;
  relation: Relation;
  expected: Outcome;
  /** Set when `expected` follows the code rather than REQUIREMENTS (not a leak): why. */
  deviation?: string;
  login: string;
  /** The organisation the probe aims at (for self and none: the viewer's). */
  org: string;
  /** The viewer's own organisation. */
  home: string;
  /** Fixtures made for this cell alone (a caller expected to succeed) or shared by those refused. */
  fresh: string;
}

export interface Probe {
  query: string;
  variables?: Record<string, unknown>;
  /** Whether the answer shows the target (default: the field is not null). */
  found?: (data: Record<string, unknown>) => boolean;
  /** Only a success is OK: a CONFLICT or BAD_USER_INPUT is a refusal (a target in another organisation). */
  strict?: boolean;
  /** OWN_ONLY probes: what of someone else's the answer showed or changed; undefined when nothing. */
  leak?: (data: Record<string, unknown>) => Promise<string | undefined> | string | undefined;
}

export interface SubscriptionProbe {
  query: string;
  variables?: Record<string, unknown>;
}

interface Override {
  roles?: readonly Role[];
  relations?: readonly Relation[];
  outcome: Outcome;
  why: string;
}

export interface Entry {
  type: RootType;
  field: string;
  /** A second probe of the same field (e.g. a case nobody is assigned to). */
  variant?: string;
  /** The roles that may call it (REQUIREMENTS "Who uses it"). */
  may: readonly Role[];
  /** What own / child / foreign means for it. */
  target: string;
  relations: readonly Relation[];
  /** What a caller who may call it gets for a target outside their organisations (foreign, parent). */
  outside?: Outcome;
  /** Finer rules of REQUIREMENTS for some roles or relations. */
  rules?: readonly Override[];
  /** Where the code answers otherwise than REQUIREMENTS and it is not a leak: accepted, with why, reported. */
  deviations?: readonly Override[];
  /** Who calls in each role's cell, when not the usual staff (signOut ends its caller's sessions). */
  callers?: Readonly<Record<Role, string>>;
  probe?: (fx: AccessFixtures, cell: Cell) => Promise<Probe> | Probe;
  subscription?: (fx: AccessFixtures, cell: Cell) => SubscriptionProbe;
}

const ALL = ROLES;
const C: Role = 'COORDINATOR';
const O: Role = 'OFFICIAL';
const R: Role = 'RECEPTION';
const E: Role = 'EXECUTOR';
const H: Role = 'HEAD';

/**
 * Root fields other helpers of Step 6 were adding while the matrix was written. They have landed
 * and have entries below; the list stays so that the completeness test names them if one is
 * renamed or dropped from the table. A new field is added to MATRIX the day it lands.
 */
export const EXPECTED_SOON: readonly string[] = [
  'grantRole',
  'withdrawRole',
  'revokeSessions',
  'signOut',
  'personalDataReads',
  'exportAuthorData',
  'eraseAuthorData',
];

const listHas = (list: unknown, id: string): boolean =>
  Array.isArray(list) && list.some((item) => (item as { id?: string }).id === id);
const edgesHave = (connection: unknown, id: string): boolean =>
  listHas(
    ((connection as { edges?: Array<{ node: unknown }> })?.edges ?? []).map((e) => e.node),
    id,
  );

type ProbeOf = NonNullable<Entry['probe']>;
/** An id of what a probe aims at, made (once) by the fixtures. */
type Fixture = (fx: AccessFixtures, cell: Cell) => Promise<string>;
type EntryMore = Pick<Entry, 'variant' | 'rules' | 'deviations'>;

const assignedCase: Fixture = async (fx, cell) => (await fx.readCase(cell.org)).caseId;
const unassignedCase: Fixture = async (fx, cell) => (await fx.unassignedCase(cell.org)).caseId;
const probeSource: Fixture = (fx, cell) => fx.probeSource(cell.org);
const messageImport: Fixture = (fx, cell) => fx.messageImport(cell.org);

/** An entry whose target lies in each organisation relation: own, child, foreign, parent. */
function onOrganisation(
  type: RootType,
  field: string,
  may: readonly Role[],
  target: string,
  outside: Outcome,
  probe: ProbeOf,
  more: EntryMore = {},
): Entry {
  return { type, field, ...more, may, target, relations: ORGANISATION_RELATIONS, outside, probe };
}
const query = (...rest: Parameters<typeof onOrganisation> extends [RootType, ...infer R] ? R : never): Entry =>
  onOrganisation('Query', ...rest);
const mutation = (...rest: Parameters<typeof onOrganisation> extends [RootType, ...infer R] ? R : never): Entry =>
  onOrganisation('Mutation', ...rest);

/** An entry about the viewer alone: someone else's item is what is probed. */
function aboutViewer(type: RootType, field: string, target: string, probe: ProbeOf): Entry {
  return { type, field, may: ALL, target, relations: ['self'], probe };
}

/** Reads one `field` by the id `id` gives. */
function readOne(field: string, selection: string, id: Fixture): ProbeOf {
  return async (fx, cell) => ({
    query: `query ($id: ID!) { ${field}(id: $id) { ${selection} } }`,
    variables: { id: await id(fx, cell) },
  });
}

/** Lists the probed organisation's `field` (given as $org): found when the item `id` gives is in it. */
function listedIn(field: string, text: string, id: Fixture): ProbeOf {
  return async (fx, cell) => {
    const item = await id(fx, cell);
    return { query: text, variables: { org: cell.org }, found: (d) => listHas(d[field], item) };
  };
}

/** A query about the probed organisation, given as $org (after `setup`, when it needs fixtures). */
function ofOrganisation(text: string, setup?: (fx: AccessFixtures) => Promise<unknown>): ProbeOf {
  return async (fx, cell) => {
    await setup?.(fx);
    return { query: text, variables: { org: cell.org } };
  };
}

/** A mutation of `field` taking one input (of type `<Field>Input` unless `inputType` says). */
function mutate(
  field: string,
  selection: string,
  input: (fx: AccessFixtures, cell: Cell) => Promise<Record<string, unknown>> | Record<string, unknown>,
  options: Pick<Probe, 'strict' | 'found'> & { inputType?: string } = {},
): ProbeOf {
  const { inputType = `${field.charAt(0).toUpperCase()}${field.slice(1)}Input`, ...rest } = options;
  return async (fx, cell) => ({
    query: `mutation ($input: ${inputType}!) { ${field}(input: $input) { ${selection} } }`,
    variables: { input: await input(fx, cell) },
    ...rest,
  });
}

/** A probe of the viewer's own things that shows nothing of anyone else's by its nature. */
const ownOnly =
  (text: string): ProbeOf =>
  () => ({ query: text, leak: () => undefined });

/** A mutation that takes a case in a status, whose step REQUIREMENTS give to `may`. */
function caseStep(
  field: string,
  status: 'DETECTED' | 'ROUTED' | 'REGISTERED' | 'ASSIGNED' | 'DRAFT_SUBMITTED' | 'ANSWERED',
  may: readonly Role[],
  why: string,
  input: (caseId: string, organizationId: string) => Record<string, unknown>,
): Entry {
  const inCase = async (fx: AccessFixtures, cell: Cell) =>
    input((await fx.caseIn(cell.org, status, cell.fresh)).caseId, cell.org);
  return mutation(
    field,
    may,
    `a ${status} case of the organisation (${why})`,
    'NOT_FOUND',
    mutate(field, 'id', inCase),
  );
}

/** The code lets `roles` do it within their own organisations too: wider than REQUIREMENTS, not a leak. */
const alsoAllows = (roles: readonly Role[], why: string): Override => ({
  roles,
  relations: ['own', 'child'],
  outcome: 'OK',
  why,
});
/** The code refuses a HEAD what REQUIREMENTS let them read: narrower, not a leak. */
const refusesHead = (why: string): Override => ({ roles: [H], outcome: 'FORBIDDEN', why });

/** A COORDINATOR configures sources; intake lets an OFFICIAL do it too (REQUIREMENTS "Who uses it"). */
const sourceSetting = (field: string, target: string, outside: Outcome, probe: ProbeOf): Entry =>
  mutation(field, [C], target, outside, probe, {
    deviations: [
      alsoAllows(
        [O],
        'intake lets an OFFICIAL manage their organisations’ sources (docs/sources.md); REQUIREMENTS give configuration to the COORDINATOR — wider within the official’s own organisations, not a tenant leak',
      ),
    ],
  });

/** What an executor gets for what is not of a case assigned to them. */
const EXECUTOR_ASSIGNED_ONLY: Override = {
  roles: [E],
  outcome: 'NOT_FOUND',
  why: 'an executor works on the cases assigned to them (REQUIREMENTS "Who uses it"); 152-FZ: staff see personal data only as the work needs',
};
const UNASSIGNED = { rules: [EXECUTOR_ASSIGNED_ONLY] };

/** A note inside the team on the case `caseId` gives. */
const comment = (caseId: Fixture) =>
  mutate('addCaseComment', 'id', async (fx, cell) => ({ caseId: await caseId(fx, cell), text: 'Заметка для команды' }));
/** Grants HEAD to the probed organisation's member of staff, in the organisation `where` says. */
const grant = (where: 'org' | 'home', strict?: true) =>
  mutate(
    'grantRole',
    'changed',
    (_fx, cell) => ({ login: `matrix.grant.${probedName(cell.org)}`, organizationId: cell[where], role: 'HEAD' }),
    { strict },
  );
/** Finds the case `kase` gives by its text alone, with no organisation filter. */
function casesByText(kase: (fx: AccessFixtures, cell: Cell) => Promise<{ caseId: string; token: string }>): ProbeOf {
  return async (fx, cell) => {
    const { caseId, token } = await kase(fx, cell);
    return {
      query: 'query ($text: String) { cases(first: 10, filter: { text: $text }) { edges { node { id } } } }',
      variables: { text: token },
      found: (d) => edgesHave(d.cases, caseId),
    };
  };
}
export const MATRIX: readonly Entry[] = [
  // ─── intake: sources (cl. 2–3) ───────────────────────────────────────────────────────────────
  query(
    'sources',
    [C, O, H],
    'the organisation whose sources are listed (organizationId)',
    'DENIED',
    listedIn('sources', 'query ($org: ID) { sources(organizationId: $org) { id } }', probeSource),
    {
      deviations: [
        refusesHead(
          'REQUIREMENTS let a HEAD read everything of their organisation; intake shows the registry only to those who manage it (docs/sources.md) — narrower, not a leak; the public list (cl. 3) shows the accounts anyway',
        ),
      ],
    },
  ),
  query('source', [C, O, H], 'a source of the organisation', 'NOT_FOUND', readOne('source', 'id', probeSource), {
    deviations: [refusesHead('as for sources: intake shows a source only to those who manage it')],
  }),
  // ─── intake: messages ───────────────────────────────────────────────────────────────────────
  query(
    'message',
    ALL,
    'the message of a case of the organisation, assigned to the district’s executor',
    'NOT_FOUND',
    readOne('message', 'id author { name }', async (fx, cell) => (await fx.readCase(cell.org)).messageId),
    {
      rules: [
        {
          ...EXECUTOR_ASSIGNED_ONLY,
          why: 'an executor reaches the message of a case assigned to them through the case (Case.message, the case probe); intake cannot tell their cases, so by id they get none',
        },
      ],
    },
  ),
  query(
    'message',
    ALL,
    'the message of a DETECTED case of the organisation',
    'NOT_FOUND',
    readOne('message', 'id author { name }', async (fx, cell) => (await fx.unassignedCase(cell.org)).messageId),
    { variant: 'of a case nobody is assigned to', ...UNASSIGNED },
  ),
  {
    type: 'Query',
    field: 'screenText',
    may: ALL,
    target: 'no organisation: a text checked against cl. 11',
    relations: ['none'],
    probe: () => ({ query: '{ screenText(text: "Вы идиоты, кто так строит") { excluded reasons } }' }),
  },
  query(
    'messageImport',
    [C, O, H],
    'an import of messages (cl. 2) of the organisation',
    'NOT_FOUND',
    readOne('messageImport', 'id', messageImport),
    {
      deviations: [
        alsoAllows(
          [R],
          'intake lets the RECEPTION import and register messages (docs/intake-feeds-imports.md); REQUIREMENTS give it registering routed cases — wider within its own organisations, not a tenant leak; for the coordinator to decide',
        ),
        refusesHead(
          'imports are shown only to those who may import: narrower than REQUIREMENTS for a HEAD, not a leak',
        ),
      ],
    },
  ),
  query(
    'messageImports',
    [C, O, H],
    'the organisation whose imports are listed (organizationId)',
    'DENIED',
    listedIn(
      'messageImports',
      'query ($org: ID!) { messageImports(organizationId: $org, first: 100) { id } }',
      messageImport,
    ),
    {
      deviations: [
        alsoAllows([R], 'intake lets the RECEPTION import messages: see messageImport'),
        refusesHead('see messageImport'),
      ],
    },
  ),
  // ─── notify: the viewer's own notifications ─────────────────────────────────────────────────
  aboutViewer(
    'Query',
    'notifications',
    'the viewer’s own feed; the observer’s notification must not be in it',
    async (fx) => {
      const theirs = await fx.observerNotification();
      return {
        query: '{ notifications(first: 100) { edges { node { id } } } }',
        leak: (d) => (edgesHave(d.notifications, theirs) ? `${OBSERVER}’s notification ${theirs} listed` : undefined),
      };
    },
  ),
  aboutViewer('Query', 'notification', 'someone else’s notification by id', async (fx) => ({
    query: 'query ($id: ID!) { notification(id: $id) { id text } }',
    variables: { id: await fx.observerNotification() },
    leak: (d) => (d.notification ? `${OBSERVER}’s notification shown` : undefined),
  })),
  aboutViewer(
    'Query',
    'notificationPreferences',
    'the viewer’s own preferences; the observer’s choice must not show',
    async (fx) => {
      await fx.observerNotification();
      return {
        query: '{ notificationPreferences { kind channel enabled chosen } }',
        leak: (d) => {
          const mine = (d.notificationPreferences as Array<{ kind: string; channel: string; chosen: boolean }>).find(
            (p) => p.kind === OBSERVER_KIND && p.channel === 'EMAIL',
          );
          return mine?.chosen ? `${OBSERVER}’s choice for ${OBSERVER_KIND} shown as the viewer’s` : undefined;
        },
      };
    },
  ),
  aboutViewer('Query', 'notificationDeliveries', 'the delivery log of someone else’s notification', async (fx) => {
    const text = 'query ($id: ID!) { notificationDeliveries(notificationId: $id) { channel status } }';
    const theirs = await fx.observerNotification();
    return {
      query: text,
      variables: { id: theirs },
      leak: async (d) => {
        if ((d.notificationDeliveries as unknown[]).length > 0) return `${OBSERVER}’s delivery log shown`;
        // The observer must see a log of their own, or an empty answer would prove nothing.
        const own = await fx.call<{ notificationDeliveries: unknown[] }>(OBSERVER, text, { id: theirs });
        return own.data?.notificationDeliveries.length ? undefined : `${OBSERVER} has no delivery log to hide`;
      },
    };
  }),
  aboutViewer('Query', 'telegramLink', 'the viewer’s own Telegram link', ownOnly('{ telegramLink { linkedAt } }')),
  // ─── workflow: organisations, the viewer, calendars and policies ────────────────────────────
  query('organizations', ALL, 'the organisation in the list of those the viewer may see', 'EMPTY', (_fx, cell) => ({
    query: '{ organizations { id } }',
    found: (d) => listHas(d.organizations, cell.org),
  })),
  aboutViewer('Query', 'me', 'the caller', (_fx, cell) => ({
    query: '{ me { login roles { role organization { id } } } }',
    leak: (d) => {
      const me = d.me as { login: string; roles: Array<{ organization: { id: string } }> };
      if (me.login !== cell.login) return `me is ${me.login}`;
      return me.roles.every((r) => r.organization.id === cell.home) ? undefined : 'roles elsewhere shown';
    },
  })),
  query(
    'workingTime',
    ALL,
    'the organisation whose calendar and deadline policy count the time',
    'DENIED',
    ofOrganisation(
      'query ($org: ID!) { workingTime(organizationId: $org, kind: ROUTE, from: "2026-11-27T10:00:00+07:00") }',
    ),
  ),
  query(
    'deadlinePolicy',
    ALL,
    'the organisation whose deadline policy is read',
    'DENIED',
    ofOrganisation('query ($org: ID!) { deadlinePolicy(organizationId: $org) { organizationId routeHours } }'),
  ),
  query(
    'workingCalendar',
    ALL,
    'the organisation whose calendar (on its clock) is read',
    'DENIED',
    ofOrganisation('query ($org: ID!) { workingCalendar(organizationId: $org, year: 2026) { year workingDays } }'),
  ),
  // ─── workflow: cases ────────────────────────────────────────────────────────────────────────
  query(
    'cases',
    ALL,
    'a case of the organisation assigned to the district’s executor, filtered by organizationId and its text',
    'DENIED',
    async (fx, cell) => {
      const kase = await fx.readCase(cell.org);
      return {
        query:
          'query ($org: ID, $text: String) { cases(first: 10, filter: { organizationId: $org, text: $text }) { edges { node { id } } } }',
        variables: { org: cell.org, text: kase.token },
        found: (d) => edgesHave(d.cases, kase.caseId),
      };
    },
  ),
  query(
    'cases',
    ALL,
    'a case of the organisation assigned to the district’s executor, found by its text alone',
    'EMPTY',
    casesByText((fx, cell) => fx.readCase(cell.org)),
    { variant: 'without an organisation filter' },
  ),
  query(
    'cases',
    ALL,
    'a DETECTED case of the organisation, found by its text',
    'EMPTY',
    casesByText((fx, cell) => fx.unassignedCase(cell.org)),
    { variant: 'of a case nobody is assigned to', rules: [{ ...EXECUTOR_ASSIGNED_ONLY, outcome: 'EMPTY' }] },
  ),
  query(
    'screeningReview',
    [C, H, O],
    'the organisation whose screening proposals are counted (a case flagged there)',
    'DENIED',
    async (fx, cell) => {
      await fx.flaggedCase(cell.org);
      return {
        query: 'query ($org: ID) { screeningReview(filter: { organizationId: $org }) { flagged pending } }',
        variables: { org: cell.org },
        // Any count: the flagged case is pending (no decision yet) in its organisation.
        found: (d) => Object.values(d.screeningReview as Record<string, number | null>).some((n) => (n ?? 0) > 0),
      };
    },
  ),
  // With its message and author: how an executor reads the message of a case assigned to them.
  query(
    'case',
    ALL,
    'a case of the organisation assigned to the district’s executor',
    'NOT_FOUND',
    readOne('case', 'id message { id author { name } }', assignedCase),
  ),
  query('case', ALL, 'a DETECTED case of the organisation', 'NOT_FOUND', readOne('case', 'id', unassignedCase), {
    variant: 'nobody is assigned to',
    ...UNASSIGNED,
  }),
  query(
    'draftPreview',
    ALL,
    'a case of the organisation assigned to the district’s executor',
    'NOT_FOUND',
    async (fx, cell) => ({
      query: 'query ($id: ID!) { draftPreview(input: { caseId: $id, text: "Воду дадут сегодня." }) { fits } }',
      variables: { id: await assignedCase(fx, cell) },
    }),
  ),
  query(
    'uncasedMessages',
    [C, O, H],
    'a message of the organisation kept without a case (not critical, cl. 1)',
    'EMPTY',
    async (fx, cell) => {
      const id = await fx.uncasedMessage(cell.org, 'read');
      return {
        query: '{ uncasedMessages(first: 100) { edges { node { id } } } }',
        found: (d) => edgesHave(d.uncasedMessages, id),
      };
    },
    {
      deviations: [
        alsoAllows(
          [R],
          'workflow lists them to the RECEPTION too (it may open a case from one): wider than REQUIREMENTS within its organisations, not a leak',
        ),
        refusesHead('narrower than REQUIREMENTS for a HEAD (reads everything of their organisation), not a leak'),
      ],
    },
  ),
  query(
    'routingModel',
    [C, O, H],
    'the organisation whose routing model (its own or the nearest above) is read',
    'DENIED',
    ofOrganisation('query ($org: ID!) { routingModel(organizationId: $org) { organizationId status } }', (fx) =>
      fx.routingModel(),
    ),
  ),
  // ─── intake: configuring sources (a COORDINATOR configures, REQUIREMENTS "Who uses it") ──────
  sourceSetting(
    'createSource',
    'the organisation a source is added to',
    'DENIED',
    mutate('createSource', 'source { id }', (_fx, cell) => ({
      organizationId: cell.org,
      platform: 'OTHER',
      kind: 'GENERIC_WEBHOOK',
      name: 'Матрица доступа',
    })),
  ),
  sourceSetting(
    'updateSource',
    'a source of the organisation',
    'NOT_FOUND',
    mutate('updateSource', 'id', async (fx, cell) => ({
      id: await probeSource(fx, cell),
      name: 'Источник для проб (матрица доступа)',
    })),
  ),
  sourceSetting(
    'rotateSourceSecret',
    'a source of the organisation',
    'NOT_FOUND',
    mutate('rotateSourceSecret', 'source { id }', async (fx, cell) => ({
      sourceId: await probeSource(fx, cell),
      overlapHours: 1,
    })),
  ),
  sourceSetting(
    'setSourceCredentials',
    'a source of the organisation',
    'NOT_FOUND',
    mutate('setSourceCredentials', 'id', async (fx, cell) => ({
      sourceId: await probeSource(fx, cell),
      credentials: [{ name: 'accessToken', value: 'matrix' }],
    })),
  ),
  mutation(
    'registerMessage',
    [O],
    'the organisation a message seen anywhere is registered in (cl. 2, 4)',
    'DENIED',
    mutate('registerMessage', 'id', (_fx, cell) => ({
      organizationId: cell.org,
      platform: 'VK',
      text: 'Во дворе дома 5 по улице Мира прорвало трубу, вода течёт на дорогу',
      url: `https://vk.com/wall-1_9?reply=${cell.fresh.length}${Date.now()}${Math.random().toString(36).slice(2)}`,
    })),
    {
      deviations: [
        alsoAllows(
          [C, R],
          'intake lets the COORDINATOR and the RECEPTION register messages by hand too (CONTRACT.md says an official does): wider within their organisations, not a leak',
        ),
      ],
    },
  ),
  mutation(
    'importMessages',
    [O],
    'the organisation a file of messages is imported into (cl. 2)',
    'DENIED',
    mutate('importMessages', 'id', (_fx, cell) => importInput(cell.org, `${cell.role}-${cell.relation}-${Date.now()}`)),
    {
      deviations: [alsoAllows([C, R], 'intake lets the COORDINATOR and the RECEPTION import too: see registerMessage')],
    },
  ),
  // ─── notify: the viewer's own notifications and settings ────────────────────────────────────
  aboutViewer(
    'Mutation',
    'markNotificationsRead',
    'someone else’s notification id: ignored, it stays unread',
    async (fx) => {
      const theirs = await fx.observerNotification();
      return {
        query: 'mutation ($ids: [ID!]!) { markNotificationsRead(ids: $ids) { id } }',
        variables: { ids: [theirs] },
        leak: async (d) => {
          if (listHas(d.markNotificationsRead, theirs)) return `${OBSERVER}’s notification returned`;
          const now = (await fx.notificationsOf(OBSERVER)).find((n) => n.id === theirs);
          return now?.readAt ? `${OBSERVER}’s notification marked read` : undefined;
        },
      };
    },
  ),
  aboutViewer(
    'Mutation',
    'markAllNotificationsRead',
    'the viewer’s own unread notifications; the observer’s stays unread',
    async (fx) => {
      const theirs = await fx.observerNotification();
      return {
        query: 'mutation { markAllNotificationsRead }',
        leak: async () => {
          const now = (await fx.notificationsOf(OBSERVER)).find((n) => n.id === theirs);
          return now?.readAt ? `${OBSERVER}’s notification marked read` : undefined;
        },
      };
    },
  ),
  aboutViewer(
    'Mutation',
    'setNotificationPreference',
    'the viewer’s own preference; the observer’s stays as it was',
    async (fx) => {
      await fx.observerNotification();
      return {
        query: `mutation { setNotificationPreference(kind: "${VIEWER_KIND}", channel: EMAIL, enabled: false) { kind chosen } }`,
        leak: async () =>
          (await fx.observerPreference(VIEWER_KIND))?.chosen ? `${OBSERVER}’s preference changed` : undefined,
      };
    },
  ),
  aboutViewer(
    'Mutation',
    'createTelegramLinkCode',
    'a code for the viewer’s own chat',
    ownOnly('mutation { createTelegramLinkCode { code expiresAt } }'),
  ),
  aboutViewer('Mutation', 'unlinkTelegram', 'the viewer’s own chat', ownOnly('mutation { unlinkTelegram }')),
  // ─── workflow: configuration (a COORDINATOR configures) ─────────────────────────────────────
  mutation(
    'setDeadlinePolicy',
    [C],
    'the organisation whose deadline policy is set',
    'DENIED',
    mutate('setDeadlinePolicy', 'organizationId', (_fx, cell) => ({ organizationId: cell.org, routeHours: 8 })),
  ),
  {
    type: 'Mutation',
    field: 'loadWorkingCalendarYear',
    may: [C],
    target:
      'the calendar of every organisation: own = the district’s staff (their organisation is the top of the tree), foreign = a sel’sovet’s staff (it governs organisations that are not theirs)',
    relations: ['own', 'foreign'],
    outside: 'FORBIDDEN',
    probe: mutate('loadWorkingCalendarYear', 'year', () => calendarYearInput()),
  },
  mutation(
    'createAttachmentUpload',
    [E],
    'an ASSIGNED case of the organisation, assigned to the district’s executor (cl. 10)',
    'NOT_FOUND',
    mutate('createAttachmentUpload', 'attachmentId', async (fx, cell) => ({
      caseId: await assignedCase(fx, cell),
      type: 'PHOTO',
      contentType: 'image/jpeg',
      size: 1024,
    })),
  ),
  // ─── workflow: a case's life (REQUIREMENTS "What a case goes through", cl. 4–11) ─────────────
  // Routed within its own organisation: where it may be routed is the next entry's question.
  caseStep('routeCase', 'DETECTED', [O], 'cl. 5: the official routes', (caseId, organizationId) => ({
    caseId,
    organizationId,
  })),
  mutation(
    'routeCase',
    [O],
    'the organisation a DETECTED case of the viewer’s own organisation is routed to',
    'DENIED',
    mutate(
      'routeCase',
      'id organization { id }',
      async (fx, cell) => ({
        caseId: (await fx.caseIn(cell.home, 'DETECTED', cell.fresh)).caseId,
        organizationId: cell.org,
      }),
      { strict: true },
    ),
    { variant: 'into the organisation' },
  ),
  caseStep('registerCase', 'ROUTED', [R], 'cl. 6: the reception registers', (caseId) => ({ caseId })),
  caseStep('assignCase', 'REGISTERED', [R], 'cl. 7: the reception assigns the executor', (caseId) => ({
    caseId,
    executorLogin: 'executor',
  })),
  caseStep('submitDraft', 'ASSIGNED', [E], 'cl. 7: the executor it is assigned to drafts', (caseId) => ({
    caseId,
    kind: 'FINAL',
    text: 'Воду дадут сегодня к 18:00.',
  })),
  caseStep('returnDraft', 'DRAFT_SUBMITTED', [O], 'cl. 7: the official returns a draft', (caseId) => ({
    caseId,
    comment: 'Укажите сроки.',
  })),
  caseStep('approveDraft', 'DRAFT_SUBMITTED', [O], 'cl. 4, 7: the official approves', (caseId) => ({ caseId })),
  caseStep('excludeCase', 'DETECTED', [O], 'cl. 11: the official confirms an exclusion', (caseId) => ({
    caseId,
    reasons: ['OBSCENE'],
  })),
  caseStep('dismissCase', 'DETECTED', [O], 'the official dismisses a message that is not critical', (caseId) => ({
    caseId,
    reason: 'Не относится к работе администрации',
  })),
  caseStep('closeCase', 'ANSWERED', [O], 'the official closes an answered case', (caseId) => ({ caseId })),
  caseStep('reopenCase', 'ANSWERED', [O], 'the official reopens it when the author writes again', (caseId) => ({
    caseId,
    reason: 'Автор написал снова',
  })),
  caseStep('recordManualPublication', 'ANSWERED', [O], 'cl. 1, 4: the official publishes answers', (caseId) => ({
    caseId,
    url: 'https://vk.com/wall-1_5?reply=77',
    kind: 'FINAL',
  })),
  mutation(
    'retryPublication',
    [O],
    'the publication of an ANSWERED case of the organisation (cl. 1, 4: the official publishes)',
    'NOT_FOUND',
    mutate('retryPublication', 'id', async (fx, cell) => ({
      publicationId: await fx.publicationOf(cell.org, cell.fresh),
    })),
  ),
  mutation(
    'addCaseComment',
    ALL,
    'a case of the organisation assigned to the district’s executor (a note inside the team)',
    'NOT_FOUND',
    comment(assignedCase),
  ),
  mutation('addCaseComment', ALL, 'a DETECTED case of the organisation', 'NOT_FOUND', comment(unassignedCase), {
    variant: 'on a case nobody is assigned to',
    ...UNASSIGNED,
  }),
  mutation(
    'linkCases',
    [O, R, E],
    'two cases of the organisation, both assigned to the district’s executor',
    'NOT_FOUND',
    mutate('linkCases', 'id', async (fx, cell) => {
      const [a, b] = await Promise.all([fx.readCase(cell.org), fx.caseIn(cell.org, 'ASSIGNED', `link:${cell.fresh}`)]);
      return { caseId: a.caseId, relatedCaseId: b.caseId };
    }),
  ),
  mutation(
    'linkCases',
    [O, R, E],
    'a case of the organisation linked from one of the viewer’s own organisation',
    'DENIED',
    mutate(
      'linkCases',
      'id relatedCases { id }',
      async (fx, cell) => {
        // The viewer's own read case: each caller links it to a case of their own (a pair linked twice is a CONFLICT).
        const [own, theirs] = await Promise.all([
          fx.readCase(cell.home),
          fx.caseIn(cell.org, 'ASSIGNED', `link-to:${cell.fresh}`),
        ]);
        return { caseId: own.caseId, relatedCaseId: theirs.caseId };
      },
      { strict: true },
    ),
    { variant: 'to a case of the organisation' },
  ),
  mutation(
    'unlinkCases',
    [O, R, E],
    'two linked cases of the organisation, both assigned to the district’s executor',
    'NOT_FOUND',
    mutate(
      'unlinkCases',
      'id',
      async (fx, cell) => {
        const [a, b] = await fx.linkedPair(cell.org);
        return { caseId: a.caseId, relatedCaseId: b.caseId };
      },
      { inputType: 'LinkCasesInput' },
    ),
  ),
  mutation(
    'openCase',
    [O],
    'a message of the organisation kept without a case (cl. 1: the official triages)',
    'NOT_FOUND',
    mutate('openCase', 'id', async (fx, cell) => ({
      messageId: await fx.uncasedMessage(cell.org, cell.fresh),
      reason: 'Сарказм: это жалоба',
    })),
    {
      deviations: [
        alsoAllows(
          [C, R],
          'workflow lets the COORDINATOR and the RECEPTION open a case from such a message too: wider than REQUIREMENTS within their organisations, not a leak',
        ),
      ],
    },
  ),
  // ─── workflow: routing models (a COORDINATOR configures) ────────────────────────────────────
  mutation(
    'importAppealsArchive',
    [C],
    'the organisation whose archive of past appeals is imported',
    'DENIED',
    (_fx, cell) => ({
      query: ARCHIVE_MUTATION,
      variables: { input: { organizationId: cell.org, contentBase64: archiveOf(cell.org) } },
    }),
  ),
  mutation(
    'retrainRoutingModel',
    [C],
    'the organisation whose models are retrained',
    'DENIED',
    ofOrganisation('mutation ($org: ID!) { retrainRoutingModel(organizationId: $org) { status } }'),
  ),
  mutation(
    'importTopicTaxonomy',
    [C],
    'the organisation whose topic taxonomy is set',
    'DENIED',
    mutate('importTopicTaxonomy', 'topics', (_fx, cell) => ({ organizationId: cell.org, contentBase64: TAXONOMY })),
  ),
  // ─── workflow: who holds which role, whose sessions end (a COORDINATOR of the organisation) ──
  mutation(
    'grantRole',
    [C],
    'the organisation a role is granted in, to a member of staff there',
    'DENIED',
    grant('org'),
  ),
  mutation(
    'grantRole',
    [C],
    'a person working in the organisation, given a role in the viewer’s own organisation',
    'DENIED',
    grant('home', true),
    { variant: 'to a member of staff of the organisation' },
  ),
  mutation(
    'withdrawRole',
    [C],
    'a role held in the organisation by a member of staff there',
    'DENIED',
    mutate('withdrawRole', 'changed', (_fx, cell) => ({
      login: `matrix.withdraw.${probedName(cell.org)}`,
      organizationId: cell.org,
      role: 'HEAD',
    })),
  ),
  mutation(
    'revokeSessions',
    [C],
    'a member of staff of the organisation, whose sessions end',
    'DENIED',
    mutate('revokeSessions', 'login', (_fx, cell) => ({
      login: `matrix.revoke.${probedName(cell.org)}`,
      reason: 'матрица доступа',
    })),
  ),
  {
    type: 'Mutation',
    field: 'signOut',
    may: ALL,
    target: 'the caller’s own sessions (each role’s cell signs out a person of its own); others’ tokens keep working',
    relations: ['self'],
    callers: SIGN_OUT_CALLERS,
    probe: (fx) => ({
      query: 'mutation { signOut { login } }',
      leak: async (d) => {
        const mine = (d.signOut as { login: string } | undefined)?.login;
        if (mine && !mine.startsWith('matrix.signout.')) return `signed out ${mine}`;
        const other = await fx.call<{ me: { login: string } }>(OBSERVER, '{ me { login } }');
        return other.data?.me.login === OBSERVER
          ? undefined
          : `${OBSERVER}’s token refused: ${JSON.stringify(other.errors)}`;
      },
    }),
  },
  // ─── intake: personal data of authors (152-FZ; a COORDINATOR answers a data subject) ────────
  {
    type: 'Query',
    field: 'personalDataReads',
    may: [C],
    target: 'a message of the organisation whose author the district’s official read',
    relations: ORGANISATION_RELATIONS,
    outside: 'DENIED',
    probe: async (fx, cell) => {
      const { messageId } = await fx.authorRead(cell.org);
      return {
        query: 'query ($id: ID) { personalDataReads(messageId: $id) { edges { node { messageId viewerLogin } } } }',
        variables: { id: messageId },
        found: (d) => ((d.personalDataReads as { edges: unknown[] }).edges ?? []).length > 0,
      };
    },
  },
  mutation(
    'exportAuthorData',
    [C],
    'an author who wrote to the organisation (their messages there)',
    'DENIED',
    mutate(
      'exportAuthorData',
      'messages',
      async (fx, cell) => ({ platform: 'VK', authorId: (await fx.unassignedCase(cell.org)).authorId }),
      { inputType: 'AuthorDataInput', found: (d) => (d.exportAuthorData as { messages: number }).messages > 0 },
    ),
  ),
  mutation(
    'eraseAuthorData',
    [C],
    'an author who wrote to the organisation, whose messages there are erased',
    'DENIED',
    mutate(
      'eraseAuthorData',
      'messages',
      async (fx, cell) => ({
        platform: 'VK',
        authorId: (await fx.caseIn(cell.org, 'DETECTED', `erase:${cell.fresh}`)).authorId,
        reason: 'запрос субъекта данных',
        requestReference: 'матрица-1',
      }),
      { found: (d) => (d.eraseAuthorData as { messages: number }).messages > 0 },
    ),
  ),
  // ─── gateway: subscriptions ─────────────────────────────────────────────────────────────────
  {
    type: 'Subscription',
    field: 'caseEvents',
    may: ALL,
    target: 'caseEvents(organizationId) of the organisation; a case there is assigned to the district’s executor',
    relations: ORGANISATION_RELATIONS,
    outside: 'DENIED',
    subscription: (_fx, cell) => ({
      query: 'subscription ($org: ID) { caseEvents(organizationId: $org) { type to case { id } } }',
      variables: { org: cell.org },
    }),
  },
  {
    type: 'Subscription',
    field: 'caseEvents',
    variant: 'without an organisation',
    may: ALL,
    target: 'every event the viewer may see; a case of the organisation is assigned to the district’s executor',
    relations: ORGANISATION_RELATIONS,
    outside: 'EMPTY',
    subscription: () => ({ query: 'subscription { caseEvents { type to case { id } } }' }),
  },
  {
    type: 'Subscription',
    field: 'notificationAdded',
    may: ALL,
    target: 'the viewer’s own notifications; the observer’s new one must not arrive',
    relations: ['self'],
    subscription: () => ({ query: 'subscription { notificationAdded { id kind case { id } } }' }),
  },
];

export const entryName = (e: Entry): string => `${e.type} ${e.field}${e.variant ? ` (${e.variant})` : ''}`;

/** What the table expects of `role` on `relation`, and the deviation behind it if any. */
export function expectation(entry: Entry, role: Role, relation: Relation): { outcome: Outcome; deviation?: string } {
  const hits = (o: Override) =>
    (!o.roles || o.roles.includes(role)) && (!o.relations || o.relations.includes(relation));
  const deviation = entry.deviations?.find(hits);
  if (deviation) return { outcome: deviation.outcome, deviation: deviation.why };
  // A role that may never call it: FORBIDDEN at home; outside its organisations any refusal will do.
  if (!entry.may.includes(role))
    return { outcome: relation === 'foreign' || relation === 'parent' ? 'DENIED' : 'FORBIDDEN' };
  const rule = entry.rules?.find(hits);
  if (rule) return { outcome: rule.outcome };
  if (relation === 'self') return { outcome: 'OWN_ONLY' };
  if (relation === 'foreign' || relation === 'parent') return { outcome: entry.outside ?? 'DENIED' };
  return { outcome: 'OK' };
}

/** Every cell of an entry: role × relation, with who calls and at what. */
export function cellsOf(entry: Entry): Cell[] {
  const key = entryName(entry);
  return entry.relations.flatMap((relation) =>
    ROLES.map((role): Cell => {
      const { outcome, deviation } = expectation(entry, role, relation);
      const target =
        relation === 'self' || relation === 'none'
          ? { tier: 'district' as Tier, org: ORG.kalmansky }
          : TARGET[relation];
      return {
        field: entry.field,
        variant: entry.variant,
        role,
        relation,
        expected: outcome,
        deviation,
        login: entry.callers?.[role] ?? LOGINS[target.tier][role],
        org: target.org,
        home: HOME[target.tier],
        fresh: outcome === 'OK' ? `${key}:${relation}:${role}` : `${key}:${relation}:refused`,
      };
    }),
  );
}

/** Whether what a probe observed is what the cell expects. */
export function satisfies(expected: Outcome, observed: string): boolean {
  if (expected === 'DENIED') return ['FORBIDDEN', 'NOT_FOUND', 'EMPTY', 'REFUSED'].includes(observed);
  return observed === expected;
}

/** The root fields of the public schema: the composed supergraph and the gateway's subscriptions. */
export function publicRootFields(): Array<{ type: RootType; field: string }> {
  const root = repositoryRoot();
  const files = ['apps/gateway/supergraph.graphql', 'apps/gateway/src/subscriptions/subscriptions.graphql'];
  const fields: Array<{ type: RootType; field: string }> = [];
  for (const file of files) {
    for (const definition of parse(readFileSync(join(root, file), 'utf8')).definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      const type = definition.name.value;
      if (type !== 'Query' && type !== 'Mutation' && type !== 'Subscription') continue;
      for (const field of definition.fields ?? []) {
        // Federation's own entry points are not in the public API the gateway serves.
        if (field.name.value === '_entities' || field.name.value === '_service') continue;
        fields.push({ type, field: field.name.value });
      }
    }
  }
  return fields;
}
