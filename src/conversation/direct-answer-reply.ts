/**
 * The reply to a fact question: the direct answer first (`Reply.answer`), what it rests on, and the topic
 * on demand (a "Show the topic" action) instead of the topic's full steps.
 */
import type { KnowledgeBase } from '../knowledge/loader.js';
import type { Topic } from '../knowledge/schema.js';
import type { Classification } from '../nlu/types.js';
import { reply, type Reply, type ReplyAction } from '../reply/reply.js';
import type { DirectAnswer } from './direct-answer.js';

export function directAnswerReply(kb: KnowledgeBase, d: DirectAnswer, topic: Topic | undefined, c: Classification): Reply {
  const actions: ReplyAction[] = [];
  if (topic) actions.push({ id: 'show-topic', label: `Show the topic: ${topic.title}`, command: `topic ${topic.id}` });
  const source = d.basis === 'policy' ? 'the requirements policy' : d.basis === 'conversion' ? 'a unit conversion' : d.basis;
  return reply({
    kind: 'answer',
    title: topic ? topic.title : 'OutSystems Cloud VPN requirements',
    answer: d.text,
    summary: `From ${source}.${topic ? ' The whole topic is one click away.' : ''}`,
    ...(topic ? { topic: topic.id, section: topic.section } : {}),
    confidence: Math.round(Math.min(1, d.coverage) * 1000) / 1000,
    answeredBy: c.engine,
    actions,
    followUps: topic
      ? topic.related
          .map((id) => kb.byId.get(id)?.title)
          .filter((t): t is string => t !== undefined)
          .slice(0, 3)
      : [],
  });
}
