import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { hasRole, Viewer } from '@otklik/auth';
import { taxonomyTopics, TaxonomyFormatError, Taxonomy } from '@otklik/classifier';
import { UnitOfWork } from '@otklik/persistence';
import { isUuid } from '../graphql/uuid';
import { OrganizationTree, OrganizationTreeSnapshot, TreeNode } from '../organizations/organization.tree';
import { ArchiveRow, decodeArchive, readAppealsArchive } from './appeals-archive.reader';
import type { RoutingExampleEntity } from './routing-example.entity';
import type { RoutingTarget } from './routing-model.entity';
import { modelKey, RoutingModelCache, RoutingStates } from './routing-model.cache';
import { RoutingException } from './routing.exception';
import { RoutingModelState, RoutingRepository, TaxonomyState } from './routing.repository';
import { INLINE_TRAINING_EXAMPLES, RoutingTrainer } from './routing.trainer';

/** How many suggestions a case gets. */
export const SUGGESTIONS = 3;

export type ArchiveRowOutcome = 'STORED' | 'DUPLICATE' | 'UNMATCHED' | 'REJECTED';

/** What became of an archive row that was not simply stored. */
export interface ArchiveRowReport {
  readonly row: number;
  readonly status: ArchiveRowOutcome;
  readonly problem: string | null;
}

export type RoutingModelStatus = 'READY' | 'QUEUED' | 'NOT_TRAINED';

/** A tree's models as the client sees them. */
export interface RoutingModelView {
  /** The organisation whose tree the models serve. */
  readonly organizationId: string;
  readonly status: RoutingModelStatus;
  readonly routing: RoutingModelState | null;
  readonly topics: RoutingModelState | null;
  readonly correctionsSinceTraining: number;
}

export interface ArchiveImport {
  readonly rows: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly unmatched: number;
  readonly rejected: number;
  /** Every row that was not stored as a routing example, with why. */
  readonly problems: ArchiveRowReport[];
  readonly model: RoutingModelView;
}

export interface RoutingSuggestion {
  readonly organization: TreeNode;
  readonly score: number;
}

export interface TopicSuggestion {
  readonly name: string;
  readonly code: string | null;
  readonly group: string | null;
  readonly score: number;
  readonly source: 'TRAINED' | 'TAXONOMY';
}

/** The case's text and where it is: what a suggestion is computed from. */
interface CaseText {
  readonly organizationId: string;
  readonly text: string;
}

const usable = (state: RoutingModelState | undefined): state is RoutingModelState =>
  state !== undefined && state.version > 0 && state.labels >= 2;

/**
 * Topic and routing suggestions (docs/routing.md): an organisation imports its archive of past
 * appeals, the tree's models are trained from it and from the officials' routing decisions, and
 * each case is ranked on demand with the model cached in the replica.
 */
@Injectable()
export class RoutingService {
  private readonly logger = new Logger(RoutingService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly routing: RoutingRepository,
    private readonly tree: OrganizationTree,
    private readonly cache: RoutingModelCache,
    private readonly trainer: RoutingTrainer,
  ) {}

  /**
   * Stores an archive's rows as examples of the organisation's tree and retrains its models: in
   * this request when the tree has few examples, else in the background (status QUEUED).
   */
  async importArchive(
    viewer: Viewer,
    input: { organizationId: string; contentBase64: string },
  ): Promise<ArchiveImport> {
    const tree = await this.coordinated(viewer, input.organizationId);
    const subtree = tree.subtreesOf([input.organizationId]);
    const organizations = [...subtree].map((id) => tree.get(id) as TreeNode);
    const rows = readAppealsArchive(decodeArchive(input.contentBase64), organizations);
    const now = new Date();
    const pairs = rows.map((row) => ({
      row,
      example: row.status === 'REJECTED' ? null : this.example(row, input.organizationId, viewer, now),
    }));
    const stored = await this.uow.run(async () => {
      const ids = await this.routing.insertArchiveExamples(pairs.flatMap((p) => (p.example ? [p.example] : [])));
      await this.routing.requestTraining(input.organizationId, viewer.login, now);
      return ids;
    });
    const outcomes = pairs.map(({ row, example }): ArchiveRowReport => {
      if (!example) return { row: row.row, status: 'REJECTED', problem: row.problem };
      if (!stored.has(example.id)) {
        return { row: row.row, status: 'DUPLICATE', problem: 'the same text is stored for this organisation already' };
      }
      return { row: row.row, status: row.status === 'MATCHED' ? 'STORED' : 'UNMATCHED', problem: row.problem };
    });
    this.logger.log(
      `archive of ${rows.length} rows imported for organisation ${input.organizationId} by ${viewer.login}: ${stored.size} stored`,
    );
    const count = (status: ArchiveRowOutcome) => outcomes.filter((o) => o.status === status).length;
    return {
      rows: rows.length,
      stored: count('STORED'),
      duplicates: count('DUPLICATE'),
      unmatched: count('UNMATCHED'),
      rejected: count('REJECTED'),
      problems: outcomes.filter((o) => o.status !== 'STORED'),
      model: await this.trainNowOrLater(input.organizationId),
    };
  }

  /** retrainRoutingModel: retrains the tree's models from its examples now (or in the background when large). */
  async retrain(viewer: Viewer, organizationId: string): Promise<RoutingModelView> {
    await this.coordinated(viewer, organizationId);
    await this.uow.run(() => this.routing.requestTraining(organizationId, viewer.login, new Date()));
    return this.trainNowOrLater(organizationId);
  }

  /** Stores the organisation's own topic taxonomy (the ЦУР classifier's JSON shape); returns it as stored. */
  async importTaxonomy(
    viewer: Viewer,
    input: { organizationId: string; contentBase64: string },
  ): Promise<{ organizationId: string; topics: number; groups: number; version: number; importedAt: Date }> {
    await this.coordinated(viewer, input.organizationId);
    let taxonomy: Taxonomy;
    try {
      const parsed = JSON.parse(
        decodeArchive(input.contentBase64)
          .toString('utf8')
          .replace(/^\uFEFF/, ''),
      ) as unknown;
      const topics = taxonomyTopics(parsed);
      // Only what is used is kept: the groups with their topics' names and descriptions.
      const groups = new Map<string, { topic: string; description: string }[]>();
      for (const t of topics)
        groups.set(t.group, [...(groups.get(t.group) ?? []), { topic: t.name, description: t.description }]);
      taxonomy = { groups: [...groups].map(([group, list]) => ({ group, topics: list })) };
    } catch (error) {
      if (error instanceof SyntaxError) throw RoutingException.badInput(`the taxonomy is not JSON: ${error.message}`);
      if (error instanceof TaxonomyFormatError) throw RoutingException.badInput(error.message);
      throw error;
    }
    const topics = taxonomy.groups.reduce((sum, g) => sum + g.topics.length, 0);
    const stored = await this.uow.run(() =>
      this.routing.upsertTaxonomy({
        organizationId: input.organizationId,
        taxonomy,
        topics,
        importedBy: viewer.login,
        importedAt: new Date(),
      }),
    );
    this.cache.invalidate();
    return { ...stored, groups: taxonomy.groups.length };
  }

  /** The models that serve the organisation (its own tree's or the nearest above it), or null when none does. */
  async modelFor(viewer: Viewer, organizationId: string): Promise<RoutingModelView | null> {
    const tree = await this.visible(viewer, organizationId);
    const states = await this.cache.current();
    const owner = tree
      .pathOf(organizationId)
      .find((id) => states.models.has(modelKey(id, 'ORGANIZATION')) || states.models.has(modelKey(id, 'TOPIC')));
    return owner ? this.view(owner, states, tree) : null;
  }

  /** Up to three organisations for each case, best first, among those the viewer may route it to. */
  async routingSuggestions(viewer: Viewer, caseIds: readonly string[]): Promise<Map<string, RoutingSuggestion[]>> {
    const [texts, states, tree] = await Promise.all([this.textsOf(caseIds), this.cache.current(), this.tree.current()]);
    const officialOf = viewer.roles.filter((r) => r.role === 'OFFICIAL').map((r) => r.organizationId);
    const routable = officialOf.length > 0 ? tree.subtreesOf(officialOf) : new Set(viewer.visibleOrganizationIds);
    const result = new Map<string, RoutingSuggestion[]>();
    for (const [caseId, { organizationId, text }] of texts) {
      const state = this.nearest(tree, organizationId, (id) => states.models.get(modelKey(id, 'ORGANIZATION')), usable);
      const classifier = state ? await this.cache.classifier(state) : null;
      if (!state || !classifier) continue;
      const among = new Set(
        [...tree.subtreesOf([state.organizationId])].filter(
          (id) => routable.has(id) && viewer.visibleOrganizationIds.includes(id),
        ),
      );
      result.set(
        caseId,
        classifier
          .rank(text, SUGGESTIONS, among)
          .map((r) => ({ organization: tree.get(r.label) as TreeNode, score: r.score })),
      );
    }
    return result;
  }

  /** Up to three topics for each case: from the tree's trained topic model, else from its taxonomy. */
  async topicSuggestions(caseIds: readonly string[]): Promise<Map<string, TopicSuggestion[]>> {
    const [texts, states, tree] = await Promise.all([this.textsOf(caseIds), this.cache.current(), this.tree.current()]);
    const result = new Map<string, TopicSuggestion[]>();
    for (const [caseId, { organizationId, text }] of texts) {
      const taxonomyState = this.nearest(
        tree,
        organizationId,
        (id) => states.taxonomies.get(id),
        (t): t is TaxonomyState => !!t,
      );
      const taxonomy = taxonomyState ? await this.cache.taxonomy(taxonomyState) : null;
      const state = this.nearest(tree, organizationId, (id) => states.models.get(modelKey(id, 'TOPIC')), usable);
      const classifier = state ? await this.cache.classifier(state) : null;
      if (classifier) {
        result.set(
          caseId,
          classifier.rank(text, SUGGESTIONS).map((r) => {
            const known = taxonomy?.byName.get(r.label.toLowerCase());
            return {
              name: r.label,
              code: known?.code ?? null,
              group: known?.group ?? null,
              score: r.score,
              source: 'TRAINED',
            };
          }),
        );
      } else if (taxonomy) {
        result.set(
          caseId,
          taxonomy.ranker
            .rank(text, SUGGESTIONS)
            .map((t) => ({ name: t.name, code: t.code, group: t.group, score: t.score, source: 'TAXONOMY' })),
        );
      }
    }
    return result;
  }

  private example(row: ArchiveRow, archiveOf: string, viewer: Viewer, at: Date): RoutingExampleEntity {
    return {
      id: randomUUID(),
      organizationId: row.organizationId ?? archiveOf,
      routed: row.organizationId !== null,
      text: row.text,
      topic: row.topic,
      origin: 'ARCHIVE',
      caseId: null,
      createdBy: viewer.login,
      at,
    };
  }

  private async trainNowOrLater(organizationId: string): Promise<RoutingModelView> {
    if ((await this.trainer.examplesOf(organizationId)) <= INLINE_TRAINING_EXAMPLES) {
      await this.trainer.train(organizationId, true);
    } else {
      this.trainer.kick();
    }
    this.cache.invalidate();
    return this.view(organizationId, await this.cache.current(), await this.tree.current(organizationId));
  }

  private async view(owner: string, states: RoutingStates, tree: OrganizationTreeSnapshot): Promise<RoutingModelView> {
    const of = (target: RoutingTarget) => states.models.get(modelKey(owner, target)) ?? null;
    const routing = of('ORGANIZATION');
    const topics = of('TOPIC');
    const status: RoutingModelStatus =
      routing?.requestedAt || topics?.requestedAt
        ? 'QUEUED'
        : routing?.trainedAt || topics?.trainedAt
          ? 'READY'
          : 'NOT_TRAINED';
    const correctionsSinceTraining = await this.uow.run(() =>
      this.routing.correctionsSince([...tree.subtreesOf([owner])], routing?.trainedAt ?? null),
    );
    return { organizationId: owner, status, routing, topics, correctionsSinceTraining };
  }

  /** The first state along the organisation's path upwards that `accept` takes. */
  private nearest<S>(
    tree: OrganizationTreeSnapshot,
    organizationId: string,
    stateOf: (id: string) => S | undefined,
    accept: (state: S | undefined) => state is S,
  ): S | undefined {
    for (const id of tree.pathOf(organizationId)) {
      const state = stateOf(id);
      if (accept(state)) return state;
    }
    return undefined;
  }

  /** The message texts of the cases the viewer's scope sees. */
  private async textsOf(caseIds: readonly string[]): Promise<Map<string, CaseText>> {
    const rows = await this.uow.run(() => this.routing.caseTexts(caseIds));
    return new Map(
      rows
        .filter((r) => (r.messageText ?? '').trim() !== '')
        .map((r) => [r.id, { organizationId: r.organizationId, text: r.messageText as string }]),
    );
  }

  private async visible(viewer: Viewer, organizationId: string): Promise<OrganizationTreeSnapshot> {
    if (!isUuid(organizationId)) throw RoutingException.badInput(`"${organizationId}" is not an organisation id`);
    const tree = await this.tree.current(organizationId);
    if (!tree.has(organizationId) || !viewer.visibleOrganizationIds.includes(organizationId)) {
      throw RoutingException.notFound(`organisation ${organizationId} is not among those you may see`);
    }
    return tree;
  }

  /** The tree, once the viewer is known to be a COORDINATOR of the organisation or of one above it. */
  private async coordinated(viewer: Viewer, organizationId: string): Promise<OrganizationTreeSnapshot> {
    const tree = await this.visible(viewer, organizationId);
    if (!tree.pathOf(organizationId).some((id) => hasRole(viewer, 'COORDINATOR', id))) {
      const code = tree.get(organizationId)?.code ?? organizationId;
      throw RoutingException.forbidden(`only a COORDINATOR of ${code} or of an organisation above it may do this`);
    }
    return tree;
  }
}
