import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation, grantToAppRole } from '@otklik/persistence';

/**
 * Step 4, topics and routing suggestions (docs/routing.md). Three tables:
 * - routing_examples: what the models learn from — texts of an imported archive and the
 *   officials' later routing decisions (corrections), each under the organisation chosen for it
 *   (or, for an archive row whose body matched no organisation, the archive's organisation,
 *   `routed` false: it teaches the topic only). An archive's text is stored once per organisation.
 * - routing_models: per organisation tree (the organisation an archive was imported for) and
 *   target (ORGANIZATION or TOPIC), the newest trained model as JSON with its version, sizes and
 *   held-out figures; `requested_at` marks a retraining asked for and not yet done.
 * - routing_taxonomies: an organisation's own topic taxonomy (the ЦУР classifier's shape), for
 *   topic suggestions before any archive exists.
 */
export class RoutingModels1796600000000 implements MigrationInterface {
  name = 'RoutingModels1796600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workflow.routing_examples (
        id uuid primary key,
        organization_id uuid not null,
        routed boolean not null,
        text text not null,
        topic text,
        origin text not null check (origin in ('ARCHIVE', 'CORRECTION')),
        case_id uuid,
        created_by text not null,
        at timestamptz not null
      )`);
    await runner.query('create index routing_examples_organization on workflow.routing_examples (organization_id, at)');
    await runner.query(
      `create unique index routing_examples_archive_text on workflow.routing_examples (organization_id, md5(text))
        where origin = 'ARCHIVE'`,
    );
    await enableTenantIsolation(runner, 'workflow', 'routing_examples');
    await grantToAppRole(runner, 'workflow', 'routing_examples', ['SELECT', 'INSERT']);

    await runner.query(`
      create table workflow.routing_models (
        organization_id uuid not null,
        target text not null check (target in ('ORGANIZATION', 'TOPIC')),
        version integer not null,
        model jsonb,
        trained_at timestamptz,
        examples integer not null,
        labels integer not null,
        features integer not null,
        held_out_size integer,
        held_out_top1 double precision,
        held_out_top3 double precision,
        requested_at timestamptz,
        requested_by text,
        primary key (organization_id, target)
      )`);
    await enableTenantIsolation(runner, 'workflow', 'routing_models');
    await grantToAppRole(runner, 'workflow', 'routing_models', ['SELECT', 'INSERT', 'UPDATE']);

    await runner.query(`
      create table workflow.routing_taxonomies (
        organization_id uuid primary key,
        taxonomy jsonb not null,
        topics integer not null,
        version integer not null,
        imported_by text not null,
        imported_at timestamptz not null
      )`);
    await enableTenantIsolation(runner, 'workflow', 'routing_taxonomies');
    await grantToAppRole(runner, 'workflow', 'routing_taxonomies', ['SELECT', 'INSERT', 'UPDATE']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table if exists workflow.routing_taxonomies');
    await runner.query('drop table if exists workflow.routing_models');
    await runner.query('drop table if exists workflow.routing_examples');
  }
}
