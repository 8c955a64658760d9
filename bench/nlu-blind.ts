/**
 * The blind NLU set (`npm run bench:nlu-blind`): test/fixtures/nlu-blind-*.yaml was written by someone who saw
 * only the guide and the fact sheet, never the training examples or the classifier. Its dev half may guide
 * work; the sealed half stays out of the tree until a release is measured (`--file` names it then). Do not
 * copy its sentences into training examples or lexicons.
 *
 * Five figures, all through the real conversation core (bench/nlu-conversation-eval.ts defines them):
 * top-1 on in-scope questions, off-topic rejected, confident errors (a wrong topic shown as the answer),
 * fact answers right, conversation turns on the right topic. The classifier alone (no conversation core) is
 * printed too, as the line the first measurements were taken with.
 *
 * `--confusions` lists every miss; `--check` exits 1 when a target is missed.
 */
import { loadKnowledgeBase } from '../src/knowledge/loader.js';
import { LocalClassifier } from '../src/nlu/local-classifier.js';
import { evalConversations, evalFacts, evalQuestions, loadBlindSet, makeAssistant, reliabilityTable } from './nlu-conversation-eval.js';

const TARGETS = { top1: 0.97, offRejected: 0.95, confidentErrors: 0.02, facts: 0.95, turns: 0.9 };

const fileArg = process.argv.indexOf('--file');
const file = fileArg > 0 ? process.argv[fileArg + 1]! : new URL('../test/fixtures/nlu-blind-dev.yaml', import.meta.url);
const blind = loadBlindSet(file);
const kb = loadKnowledgeBase();
const known = new Set(kb.topics.map((t) => t.id));
for (const q of [...blind.questions, ...blind.conversations.flatMap((c) => c.turns)]) {
  if (q.topic !== null && !known.has(q.topic)) throw new Error(`unknown topic ${q.topic}`);
}
const classifier = new LocalClassifier(kb);

// The classifier alone, as first measured (kind "topic" with a wrong topic = confident error).
let cTop1 = 0;
let cIn = 0;
let cOff = 0;
let cOffRejected = 0;
let cConfident = 0;
for (const q of blind.questions) {
  const c = classifier.classifySync(q.text);
  const answered = c.kind === 'topic' || c.kind === 'ambiguous' ? c.topic : null;
  if (c.kind === 'topic' && c.topic !== q.topic) cConfident++;
  if (q.topic === null) {
    cOff++;
    if (answered === null) cOffRejected++;
  } else {
    cIn++;
    if (answered === q.topic) cTop1++;
  }
}

const assistant = makeAssistant(kb, classifier);
const questions = await evalQuestions(assistant, blind.questions);
const facts = await evalFacts(assistant, blind.facts);
const conversations = await evalConversations(assistant, blind.conversations);

const r = (n: number, d: number) => (d === 0 ? '-' : (n / d).toFixed(3));
const figures = {
  top1: questions.top1 / questions.inScope,
  offRejected: questions.offRejected / questions.off,
  confidentErrors: questions.confidentErrors / questions.total,
  facts: facts.total ? facts.right / facts.total : 1,
  turns: conversations.turns ? conversations.right / conversations.turns : 1,
};
console.log(
  `blind NLU set: ${questions.inScope} in-scope questions, ${questions.off} off-topic, ${facts.total} fact questions, ` +
    `${blind.conversations.length} conversations (${conversations.turns} turns)`,
);
console.log(`| metric | conversation core | classifier alone | target |\n|---|---|---|---|`);
console.log(
  `| top-1 (in-scope) | ${r(questions.top1, questions.inScope)} (${questions.top1}/${questions.inScope}) | ${r(cTop1, cIn)} | >= ${TARGETS.top1} |`,
);
console.log(
  `| off-topic rejected | ${r(questions.offRejected, questions.off)} (${questions.offRejected}/${questions.off}) | ${r(cOffRejected, cOff)} | >= ${TARGETS.offRejected} |`,
);
console.log(
  `| confident errors (all questions) | ${r(questions.confidentErrors, questions.total)} (${questions.confidentErrors}) | ${r(cConfident, blind.questions.length)} | <= ${TARGETS.confidentErrors} |`,
);
console.log(`| fact answers right | ${r(facts.right, facts.total)} (${facts.right}/${facts.total}) | - | >= ${TARGETS.facts} |`);
console.log(
  `| conversation turns on the right topic | ${r(conversations.right, conversations.turns)} (${conversations.right}/${conversations.turns}) | - | >= ${TARGETS.turns} |`,
);
console.log(`| asked back | ${r(questions.askedBack, questions.total)} | | |`);
console.log(`\nreliability (answers shown with a topic):\n${reliabilityTable(questions.bins)}`);
if (process.argv.includes('--confusions')) {
  console.log(`\nquestions:\n${questions.confusions.join('\n')}`);
  console.log(`facts:\n${facts.misses.join('\n')}`);
  console.log(`conversations:\n${conversations.misses.join('\n')}`);
}
const missed = [
  figures.top1 < TARGETS.top1,
  figures.offRejected < TARGETS.offRejected,
  figures.confidentErrors > TARGETS.confidentErrors,
  figures.facts < TARGETS.facts,
  figures.turns < TARGETS.turns,
].some(Boolean);
if (process.argv.includes('--check') && missed) process.exit(1);
