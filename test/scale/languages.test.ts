/**
 * Every language of the fixture in every default print edition, and Ace by DAISY on each translated EPUB
 * (test/support/language-suite.ts); `npm test` runs the same suite on the A4 edition alone.
 */
import { DEFAULT_EDITIONS } from '../../scripts/base/editions.js';
import { describeLanguages } from '../support/language-suite.js';

describeLanguages({ editions: DEFAULT_EDITIONS, ace: true });
