/**
 * Baseline 2: natural's BayesClassifier (multinomial naive Bayes over Porter-stemmed tokens), trained on
 * the same texts: each example, keyword and title labelled with its topic, and the off-topic corpus as an
 * "other" class. "other" winning is a rejection.
 */
import { type Baseline, OTHER, type TopicTexts } from './baseline.js';

export async function buildNaiveBayes(topics: readonly TopicTexts[], offTopic: readonly string[]): Promise<Baseline> {
  // natural pulls in dotenv, which logs a banner on import unless told to be quiet.
  process.env['DOTENV_CONFIG_QUIET'] ??= 'true';
  const natural = (await import('natural')).default;
  const started = performance.now();
  const bayes = new natural.BayesClassifier();
  for (const t of topics) {
    for (const text of [...t.examples, ...t.keywords, t.title]) bayes.addDocument(text, t.id);
  }
  for (const text of offTopic) bayes.addDocument(text, OTHER);
  bayes.train();
  const buildMs = performance.now() - started;
  return {
    name: 'naive Bayes (natural)',
    buildMs,
    classify(text) {
      const ranked = bayes
        .getClassifications(text)
        .map((c) => c.label)
        .filter((l) => l !== OTHER);
      const best = bayes.classify(text);
      return { topic: best === OTHER ? null : best, ranked };
    },
  };
}
