/**
 * Classification that keeps the conversation's thread. After the assistant asked back ("which of these is
 * closest?"), a reply that adds a detail instead of picking ("fortigate 7.2 btw", "it's after we enabled
 * IPS") is read together with the message it qualifies, so the detail can settle the question.
 */
import type { Classification, IntentClassifier } from '../nlu/types.js';
import type { Session } from './session.js';

export async function classifyInThread(classifier: IntentClassifier, text: string, session: Session): Promise<Classification> {
  const c = await classifier.classify(text, { currentTopic: session.currentTopic });
  // session.history ends with this message; the one before is what the open question was about.
  const previous = session.history.length >= 2 ? session.history[session.history.length - 2] : undefined;
  if (session.pendingChoices.length === 0 || !previous || c.kind === 'smalltalk' || (c.kind === 'topic' && c.confidence >= 0.5)) return c;
  const joined = await classifier.classify(`${previous}\n${text}`, { currentTopic: session.currentTopic });
  const better =
    (joined.kind === 'topic' || joined.kind === 'ambiguous') &&
    joined.confidence > (c.kind === 'topic' || c.kind === 'ambiguous' ? c.confidence : 0);
  // The entities stay this message's own: they are what this message adds.
  if (!better) return c;
  // A detail that blurs the open question ("fortigate 7.2 btw" pulls towards topics with FortiGate
  // snippets) settles nothing: the question stays as it was asked.
  const asked = await classifier.classify(previous, { currentTopic: session.currentTopic });
  const blurred =
    (asked.kind === 'topic' || asked.kind === 'ambiguous') && asked.topic !== joined.topic && asked.confidence > joined.confidence;
  return { ...(blurred ? asked : joined), entities: c.entities };
}
