/**
 * The field's vocabulary: how ops people write the same thing in different ways. Kept apart from the
 * normaliser's mechanics so domain experts can extend it without reading the tokenizer.
 *
 * Three layers, applied in this order by `normalize.ts`:
 *  1. PHRASES: multi-word forms rewritten to one canonical token ("phase one", "p1", "main mode" -> phase1).
 *     Written against lowercased text whose punctuation has become single spaces.
 *  2. ALIASES: one token -> one canonical token (abbreviations, spelling variants: fw -> firewall).
 *  3. CONCEPTS: canonical token -> extra concept feature ("#drop" for drop/flap/disconnect ...), so a word
 *     the training examples never used still lands near the ones they did.
 * Nothing here names a topic: the model learns which concepts matter for which topic from the examples.
 */

export { PHRASES } from './lexicon/phrases.js';
export { ALIASES } from './lexicon/aliases.js';
export { CONCEPTS, DOMAIN_ANCHORS } from './lexicon/concepts.js';
export { STOPWORDS } from './lexicon/stopwords.js';
