import type { KnowledgeBase } from './knowledge/loader.js';
import { loadKnowledgeBase } from './knowledge/loader.js';
import { createClassifier } from './nlu/index.js';
import type { IntentClassifier } from './nlu/types.js';
import type { CheckRunner } from './conversation/assistant.js';
import { loadConfig, type AppConfig } from './config/env.js';
import { CheckService } from './checks/service.js';
import { ServiceCheckRunner } from './conversation/check-runner.js';

export interface Runtime {
  config: AppConfig;
  kb: KnowledgeBase;
  classifier: IntentClassifier;
  checks?: CheckRunner;
}

export interface RuntimeOptions {
  knowledgeDir?: string | undefined;
  /** Run connectivity checks from this machine (terminal chat, `check`). */
  withLocalChecks?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Everything a command needs, built from validated configuration; one place so every voice is wired alike. */
export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const config = loadConfig(options.env ?? process.env);
  const kb = loadKnowledgeBase(options.knowledgeDir ?? config.knowledgeDir);
  const classifier = await createClassifier(kb, { llm: config.llm });
  return {
    config,
    kb,
    classifier,
    ...(options.withLocalChecks ? { checks: new ServiceCheckRunner(new CheckService({ knowledge: kb }), kb, 'local') } : {}),
  };
}
