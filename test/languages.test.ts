/**
 * Every language of the fixture, in `npm test`: the A4 edition and the EPUB of each, read as a reader's
 * tools read them (test/support/language-suite.ts). Every default edition, and Ace on each translated
 * EPUB, is test/scale/languages.test.ts, in `npm run test:scale`.
 */
import { describeLanguages } from './support/language-suite.js';

describeLanguages({ editions: ['a4'], ace: false });
