import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import { CaseEntity } from '../cases/case.entity';
import { RoutingExampleEntity } from './routing-example.entity';
import { RoutingModelEntity, RoutingTarget } from './routing-model.entity';
import { RoutingTaxonomyEntity } from './routing-taxonomy.entity';

/** A model's row without its JSON: what replicas compare to know whether theirs is current. */
export type RoutingModelState = Omit<RoutingModelEntity, 'model'>;

export type TaxonomyState = Omit<RoutingTaxonomyEntity, 'taxonomy'>;

/** The examples, models and taxonomies of routing suggestions, as far as the current scope sees them. */
@Injectable()
export class RoutingRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Stores archive rows; a text already stored for the same organisation is skipped. Returns the ids stored. */
  async insertArchiveExamples(examples: readonly RoutingExampleEntity[]): Promise<Set<string>> {
    if (examples.length === 0) return new Set();
    const column = <K extends keyof RoutingExampleEntity>(key: K) => examples.map((e) => e[key]);
    const rows = await this.uow.manager.query<Array<{ id: string }>>(
      `insert into workflow.routing_examples (id, organization_id, routed, text, topic, origin, case_id, created_by, at)
       select * from unnest($1::uuid[], $2::uuid[], $3::boolean[], $4::text[], $5::text[], $6::text[], $7::uuid[],
                            $8::text[], $9::timestamptz[])
       on conflict (organization_id, md5(text)) where origin = 'ARCHIVE' do nothing
       returning id`,
      [
        column('id'),
        column('organizationId'),
        column('routed'),
        column('text'),
        column('topic'),
        column('origin'),
        column('caseId'),
        column('createdBy'),
        column('at'),
      ],
    );
    return new Set(rows.map((r) => r.id));
  }

  async insertExample(example: RoutingExampleEntity): Promise<void> {
    await this.uow.manager.insert(RoutingExampleEntity, example);
  }

  /** The newest `limit` examples filed under these organisations, oldest first. */
  async examplesOf(organizationIds: readonly string[], limit: number): Promise<RoutingExampleEntity[]> {
    const rows = await this.uow.manager.find(RoutingExampleEntity, {
      where: { organizationId: In([...organizationIds]) },
      order: { at: 'DESC', id: 'DESC' },
      take: limit,
    });
    return rows.reverse();
  }

  /** Corrections filed under these organisations after `since` (all of them when null). */
  async correctionsSince(organizationIds: readonly string[], since: Date | null): Promise<number> {
    const [row] = await this.uow.manager.query<Array<{ count: number }>>(
      `select count(*)::int as count from workflow.routing_examples
        where origin = 'CORRECTION' and organization_id = any($1::uuid[]) and ($2::timestamptz is null or at > $2)`,
      [organizationIds, since],
    );
    return row.count;
  }

  /** Every model's state (no JSON). */
  modelStates(): Promise<RoutingModelState[]> {
    return this.uow.manager.find(RoutingModelEntity, {
      select: {
        organizationId: true,
        target: true,
        version: true,
        trainedAt: true,
        examples: true,
        labels: true,
        features: true,
        heldOutSize: true,
        heldOutTop1: true,
        heldOutTop3: true,
        requestedAt: true,
        requestedBy: true,
      },
    });
  }

  modelOf(organizationId: string, target: RoutingTarget): Promise<RoutingModelEntity | null> {
    return this.uow.manager.findOneBy(RoutingModelEntity, { organizationId, target });
  }

  /** Marks both of the tree's models as wanted: rows are created (version 0) where there are none. */
  async requestTraining(organizationId: string, login: string, at: Date): Promise<void> {
    await this.uow.manager.query(
      `insert into workflow.routing_models (organization_id, target, version, examples, labels, features, requested_at, requested_by)
       select $1, target, 0, 0, 0, 0, $2, $3 from unnest(array['ORGANIZATION', 'TOPIC']) as target
       on conflict (organization_id, target) do update set requested_at = $2, requested_by = $3`,
      [organizationId, at, login],
    );
  }

  async saveModel(model: RoutingModelEntity): Promise<void> {
    await this.uow.manager.save(RoutingModelEntity, model);
  }

  /**
   * Takes the training lock of the tree for this transaction: false when another replica (or
   * request) holds it and `wait` is false.
   */
  async lockTraining(organizationId: string, wait: boolean): Promise<boolean> {
    const key = `workflow.routing-training:${organizationId}`;
    if (wait) {
      await this.uow.manager.query('select pg_advisory_xact_lock(hashtext($1))', [key]);
      return true;
    }
    const [row] = await this.uow.manager.query<Array<{ locked: boolean }>>(
      'select pg_try_advisory_xact_lock(hashtext($1)) as locked',
      [key],
    );
    return row.locked;
  }

  /** The message text and organisation of each case the scope sees. */
  caseTexts(caseIds: readonly string[]): Promise<Array<Pick<CaseEntity, 'id' | 'organizationId' | 'messageText'>>> {
    return this.uow.manager.find(CaseEntity, {
      select: { id: true, organizationId: true, messageText: true },
      where: { id: In([...caseIds]) },
    });
  }

  taxonomyStates(): Promise<TaxonomyState[]> {
    return this.uow.manager.find(RoutingTaxonomyEntity, {
      select: { organizationId: true, topics: true, version: true, importedBy: true, importedAt: true },
    });
  }

  taxonomyOf(organizationId: string): Promise<RoutingTaxonomyEntity | null> {
    return this.uow.manager.findOneBy(RoutingTaxonomyEntity, { organizationId });
  }

  /** Stores the organisation's taxonomy, one version on from the one it replaces. */
  async upsertTaxonomy(taxonomy: Omit<RoutingTaxonomyEntity, 'version'>): Promise<RoutingTaxonomyEntity> {
    const [row] = await this.uow.manager.query<Array<{ version: number }>>(
      `insert into workflow.routing_taxonomies (organization_id, taxonomy, topics, version, imported_by, imported_at)
       values ($1, $2, $3, 1, $4, $5)
       on conflict (organization_id) do update
         set taxonomy = excluded.taxonomy, topics = excluded.topics, version = routing_taxonomies.version + 1,
             imported_by = excluded.imported_by, imported_at = excluded.imported_at
       returning version`,
      [
        taxonomy.organizationId,
        JSON.stringify(taxonomy.taxonomy),
        taxonomy.topics,
        taxonomy.importedBy,
        taxonomy.importedAt,
      ],
    );
    return { ...taxonomy, version: row.version };
  }
}
