import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from './database';
import { appLoginUrl, loginUserOf } from './app-login';
import {
  assertAppLogin,
  createAppDataSource,
  describeAppLogin,
  describeDatabase,
  migrateServiceDatabase,
  ServiceDatabaseOptions,
} from './service-database';
import { UnitOfWork } from './unit-of-work';

export interface PersistenceModuleOptions extends OpenServiceDatabaseOptions {
  /** false: build the module without touching the database (printing the GraphQL schema). */
  connect: boolean;
}

const OPTIONS = Symbol('PersistenceModuleOptions');

@Injectable()
export class DatabaseHealth {
  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<{ ok: boolean; error?: string }> {
    if (!this.dataSource.isInitialized) return { ok: false, error: 'not connected' };
    try {
      await this.dataSource.query('select 1');
      return { ok: true };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }
}

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(OPTIONS) private readonly options: PersistenceModuleOptions,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.options.logger.info('database connections closed');
  }
}

export interface OpenServiceDatabaseOptions extends ServiceDatabaseOptions {
  logger: Logger;
  /** How long start-up waits for the database before giving up. */
  startupTimeoutMs?: number;
}

/**
 * Migrates the service's schema as the owner and opens its data source logged in as the
 * application role (checked), retrying while the database is not reachable yet. Used by
 * PersistenceModule and by the gateway, which has no Nest persistence module of its own.
 */
export async function openServiceDatabase(options: OpenServiceDatabaseOptions): Promise<DataSource> {
  const dataSource = createAppDataSource(options);
  const deadline = Date.now() + (options.startupTimeoutMs ?? 60_000);
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateServiceDatabase(options);
      await dataSource.initialize();
      await assertAppLogin(dataSource, options.schema).catch(async (error: unknown) => {
        await dataSource.destroy();
        throw error;
      });
      return dataSource;
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() > deadline) {
        throw new Error(`cannot open the database ${describeDatabase(options)}: ${problemOf(error, options)}`, {
          cause: error,
        });
      }
      options.logger.warn({ attempt, err: (error as Error).message }, 'database not reachable yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5_000)));
    }
  }
}

/** What went wrong, saying which login when it was the application role's that failed. */
function problemOf(error: unknown, options: ServiceDatabaseOptions): string {
  const { code, message } = error as { code?: string; message?: string };
  // 28P01 password authentication failed, 28000 no pg_hba.conf entry (or a role that may not log in).
  if (code === '28P01' || code === '28000') {
    const hint = options.appDatabaseUrl ? 'check APP_DATABASE_URL' : 'set APP_DATABASE_PASSWORD or APP_DATABASE_URL';
    if (message?.includes(`"${loginUserOf(appLoginUrl(options))}"`))
      return `${message} (queries log in as ${describeAppLogin(options)}; ${hint})`;
  }
  return message ?? String(error);
}

/** One TypeORM data source per service, migrated at start, queried as the service's RLS-bound role. */
@Global()
@Module({})
export class PersistenceModule {
  static forService(options: PersistenceModuleOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: DataSource,
          useFactory: () => (options.connect ? openServiceDatabase(options) : createAppDataSource(options)),
        },
        {
          provide: UnitOfWork,
          useFactory: (dataSource: DataSource) => new UnitOfWork(dataSource),
          inject: [DataSource],
        },
        DatabaseHealth,
        DataSourceCloser,
      ],
      exports: [DataSource, UnitOfWork, DatabaseHealth],
    };
  }
}
