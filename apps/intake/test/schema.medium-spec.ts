import { createLogger } from '@otklik/observability';
import { pendingSchemaChanges } from '@otklik/persistence';
import { createTestDatabase } from '@otklik/testing';
import { ENTITIES } from '../src/app.module';
import { MIGRATIONS } from '../src/migrations/migrations';

describe('migrations are code (STYLE.md §12)', () => {
  it('the migrated schema matches the entities: TypeORM has nothing left to change', async () => {
    const db = await createTestDatabase('intake_schema');
    try {
      const pending = await pendingSchemaChanges({
        schema: 'intake',
        databaseUrl: db.url,
        entities: ENTITIES,
        migrations: MIGRATIONS,
        logger: createLogger('intake', 'silent'),
      });
      expect(pending).toEqual([]);
    } finally {
      await db.drop();
    }
  });
});
