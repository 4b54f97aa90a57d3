// Before anything that loads @otklik/contracts (its payload classes use decorator metadata).
import 'reflect-metadata';
import { createLogger } from '@otklik/observability';
import { ConfigError, exitOnStartupError, runService } from '@otklik/service-kit';
import { AppModule } from './app.module';
import { loadWorkflowConfig, WorkflowConfig } from './workflow.config';

function readConfig(): WorkflowConfig {
  try {
    return loadWorkflowConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`workflow: ${error.message}\n`);
    process.exit(1);
  }
}

const config = readConfig();
const logger = createLogger('workflow', config.logLevel);
runService(AppModule.forConfig(config, logger), { config, logger }).catch(exitOnStartupError(logger, 'workflow'));
