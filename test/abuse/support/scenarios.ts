import type { Scenario } from './scenario.js';
import { chatBurstScenario, forgedTeamsScenario, slackReplayScenario } from './scenarios-chat.js';
import { apiFloodScenario, checkBurstScenario, monitorFloodScenario, slowlorisScenario } from './scenarios-http.js';
import { reconnectStormScenario } from './scenarios-agents.js';

/**
 * Every attack of issue 16, in the order `npm run bench:abuse` runs them. Each attacker runs in a child
 * process (attacker-process.ts); what it did to the server is read on the server's side.
 */
export const SCENARIOS: Scenario[] = [
  monitorFloodScenario,
  checkBurstScenario,
  forgedTeamsScenario,
  slackReplayScenario,
  apiFloodScenario,
  slowlorisScenario,
  reconnectStormScenario,
  chatBurstScenario,
];
