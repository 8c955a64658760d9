/**
 * Baseline 1: BM25 search over the topics' text with minisearch (one document per topic: title, keywords
 * and examples; the off-topic corpus is one more document). The best hit is the topic; no hit, or the
 * off-topic document winning, is a rejection. A small stopword list keeps "the"/"is" from matching
 * everything, and fuzzy/prefix matching is on, as one would configure a search box.
 */
import MiniSearch from 'minisearch';
import { type Baseline, OTHER, type TopicTexts } from './baseline.js';

const STOPWORDS = new Set(
  'a an the and or but of to in on at for from by with as is are was were be been it its this that these those i me my we us our you your they them their do does did have has had so if then than can could would should will may might must not no yes what which who how why when where there here just also any some all about into over up out'.split(
    ' ',
  ),
);

export function buildBm25(topics: readonly TopicTexts[], offTopic: readonly string[]): Baseline {
  const started = performance.now();
  const search = new MiniSearch<{ id: string; title: string; keywords: string; examples: string }>({
    fields: ['title', 'keywords', 'examples'],
    storeFields: ['id'],
    processTerm: (term) => {
      const t = term.toLowerCase();
      return STOPWORDS.has(t) ? null : t;
    },
    searchOptions: { boost: { title: 2, keywords: 1.5 }, fuzzy: 0.2, prefix: true, combineWith: 'OR' },
  });
  search.addAll([
    ...topics.map((t) => ({ id: t.id, title: t.title, keywords: t.keywords.join(' \n '), examples: t.examples.join(' \n ') })),
    { id: OTHER, title: '', keywords: '', examples: offTopic.join(' \n ') },
  ]);
  const buildMs = performance.now() - started;
  return {
    name: 'BM25 (minisearch)',
    buildMs,
    classify(text) {
      const hits = search.search(text).map((h) => String(h.id));
      const ranked = hits.filter((id) => id !== OTHER);
      const best = hits[0];
      return { topic: best === undefined || best === OTHER ? null : best, ranked };
    },
  };
}
