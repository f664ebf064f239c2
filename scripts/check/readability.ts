/**
 * How hard the text is to read, per section and overall, for patient
 * education material: Flesch–Kincaid grade, Flesch reading ease, words per
 * sentence and the long sentences. Health-literacy guidance asks for grade 8
 * or below; a section above it gets a vfile warning at its heading.
 *
 * The Markdown is turned into natural-language trees (nlcst) the way
 * remark-retext does, so sentences, words and their places in the file come
 * from the unified ecosystem; syllables from `syllable`, the formulas from
 * `flesch-kincaid` and `flesch`.
 */
import { toNlcst } from 'mdast-util-to-nlcst';
import { toString as nlcstToString } from 'nlcst-to-string';
import { ParseEnglish } from 'parse-english';
import { syllable } from 'syllable';
import { fleschKincaid } from 'flesch-kincaid';
import { flesch } from 'flesch';
import { toString as mdastToString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Heading, Root, RootContent } from 'mdast';
import type { Paragraph, Sentence } from 'nlcst';
import type { Position } from 'unist';
import type { VFile } from 'vfile';
import type { Manuscript } from '../manuscript/load.js';

/** Health-literacy guidance: patient material at a US school grade of 8 or below. */
export const GRADE_LIMIT = 8;
/** Sentences longer than this are listed; plain-language guides aim at 15–20 words on average. */
export const LONG_SENTENCE_WORDS = 25;

export interface Counts {
  sentences: number;
  words: number;
  syllables: number;
}

export interface Scores extends Counts {
  /** Flesch–Kincaid grade level (US school grade). */
  grade: number;
  /** Flesch reading ease, 0–100: higher is easier; 60–70 is plain English. */
  ease: number;
  wordsPerSentence: number;
}

export interface LongSentence {
  file: string;
  line: number;
  column: number;
  words: number;
  text: string;
}

export interface SectionReadability extends Scores {
  title: string;
  file: string;
  /** The section's heading, where its warning points. */
  position?: Position;
  longSentences: LongSentence[];
}

export interface ReadabilityReport {
  sections: SectionReadability[];
  overall: Scores;
}

/**
 * parse-english takes a sentence-final "in." for the abbreviation of inches and
 * joins "…rush in. Along with…" into one sentence, which then shows up as a long
 * one. A lower-case "in." followed by a capitalised word ends a sentence.
 */
class PatientTextParser extends ParseEnglish {}
PatientTextParser.prototype.tokenizeParagraphPlugins = [...ParseEnglish.prototype.tokenizeParagraphPlugins, splitAfterFinalIn];

function splitAfterFinalIn(paragraph: Paragraph): void {
  const children: Paragraph['children'] = [];
  for (const node of paragraph.children) {
    if (node.type !== 'SentenceNode') {
      children.push(node);
      continue;
    }
    let start = 0;
    node.children.forEach((child, index) => {
      const space = node.children[index + 1];
      const next = node.children[index + 2];
      if (
        child.type === 'WordNode' &&
        nlcstToString(child) === 'in.' &&
        space?.type === 'WhiteSpaceNode' &&
        next?.type === 'WordNode' &&
        /^\p{Lu}/u.test(nlcstToString(next))
      ) {
        // The whitespace goes between the two sentences, as the parser puts it.
        children.push(sentenceOf(node.children.slice(start, index + 1)), space);
        start = index + 2;
      }
    });
    children.push(start === 0 ? node : sentenceOf(node.children.slice(start)));
  }
  paragraph.children = children;
}

function sentenceOf(children: Sentence['children']): Sentence {
  const first = children[0]?.position;
  const last = children.at(-1)?.position;
  return { type: 'SentenceNode', children, position: first && last ? { start: first.start, end: last.end } : undefined };
}

interface Section {
  title: string;
  /** The file the section starts in (its heading's). */
  file: VFile;
  heading?: Heading;
  /** A section may go on into the next manuscript file: its text, file by file. */
  parts: { file: VFile; nodes: RootContent[] }[];
}

/** Measure the manuscript; sections above the grade limit get a warning on their file. */
export function measureReadability(manuscript: Manuscript): ReadabilityReport {
  const parts = splitSections(manuscript);
  const sections = parts.map(measureSection);
  const overall = scores(sumCounts(sections));
  const warnAbout = (section: SectionReadability, file: VFile, name: string) => {
    const message = file.message(`${name} reads at grade ${section.grade.toFixed(1)}, above ${GRADE_LIMIT}`, {
      place: section.position,
      ruleId: 'readability',
      source: 'press',
    });
    message.note = `Patient material should read at grade ${GRADE_LIMIT} or below: shorten long sentences (${section.wordsPerSentence.toFixed(1)} words per sentence here) and prefer short, everyday words.`;
  };
  parts.forEach((part, index) => {
    const measured = sections[index]!;
    if (measured.words > 0 && measured.grade > GRADE_LIMIT) warnAbout(measured, part.file, `section “${measured.title}”`);
  });
  if (overall.words > 0 && overall.grade > GRADE_LIMIT) {
    const first = manuscript.files[0]!.file;
    warnAbout({ ...overall, title: '', file: first.path, longSentences: [], position: sections[0]?.position }, first, 'the whole text');
  }
  return { sections, overall };
}

/** Sections as the chapters are cut: a new one at each `##`; the text before the first is the opening. */
function splitSections(manuscript: Manuscript): Section[] {
  const sections: Section[] = [];
  for (const { file, tree } of manuscript.files) {
    for (const node of tree.children) {
      const current = sections[sections.length - 1];
      if (node.type === 'heading' && (node.depth <= 2 || !current)) {
        sections.push({ title: mdastToString(node), file, heading: node, parts: [{ file, nodes: [] }] });
      } else if (!current) {
        sections.push({ title: manuscript.metadata.title, file, parts: [{ file, nodes: [node] }] });
      } else {
        const part = current.parts.at(-1)!;
        if (part.file === file) part.nodes.push(node);
        else current.parts.push({ file, nodes: [node] });
      }
    }
  }
  return sections;
}

function measureSection(section: Section): SectionReadability {
  const counts: Counts = { sentences: 0, words: 0, syllables: 0 };
  const longSentences: LongSentence[] = [];
  for (const { file, nodes } of section.parts) {
    const children = nodes.filter((node) => node.type !== 'heading');
    if (children.length === 0) continue;
    // toNlcst reads the text by position: the fragment spans from its first node to its last.
    const prose: Root = { type: 'root', children, position: { start: children[0]!.position!.start, end: children.at(-1)!.position!.end } };
    // Code, raw HTML and tables are not prose a patient reads sentence by sentence.
    const text = toNlcst(prose, file, PatientTextParser, { ignore: ['code', 'html'] });
    visit(text, 'SentenceNode', (sentence: Sentence) => {
      const words = sentence.children.filter((child) => child.type === 'WordNode');
      if (words.length === 0) return;
      counts.sentences += 1;
      counts.words += words.length;
      counts.syllables += words.reduce((sum, word) => sum + syllable(nlcstToString(word)), 0);
      if (words.length > LONG_SENTENCE_WORDS) {
        longSentences.push({
          file: file.path,
          line: sentence.position?.start.line ?? 0,
          column: sentence.position?.start.column ?? 0,
          words: words.length,
          text: nlcstToString(sentence),
        });
      }
    });
  }
  return { title: section.title, file: section.file.path, position: section.heading?.position, longSentences, ...scores(counts) };
}

function sumCounts(parts: Counts[]): Counts {
  return parts.reduce((sum, part) => ({
    sentences: sum.sentences + part.sentences,
    words: sum.words + part.words,
    syllables: sum.syllables + part.syllables,
  }), { sentences: 0, words: 0, syllables: 0 });
}

function scores(counts: Counts): Scores {
  if (counts.words === 0 || counts.sentences === 0) return { ...counts, grade: 0, ease: 100, wordsPerSentence: 0 };
  const formulaCounts = { sentence: counts.sentences, word: counts.words, syllable: counts.syllables };
  return { ...counts, grade: fleschKincaid(formulaCounts), ease: flesch(formulaCounts), wordsPerSentence: counts.words / counts.sentences };
}

/** The report as a table, then the long sentences with their places. */
export function formatReadability(report: ReadabilityReport, relative: (file: string) => string = (file) => file): string {
  const rows = [...report.sections.map((section) => ({ ...section, name: section.title })), { ...report.overall, name: 'Overall' }];
  const width = Math.max(...rows.map((row) => row.name.length), 'Section'.length);
  const line = (name: string, grade: string, ease: string, wps: string, words: string, flag: string) =>
    `  ${name.padEnd(width)}  ${grade.padStart(5)}  ${ease.padStart(5)}  ${wps.padStart(9)}  ${words.padStart(5)}  ${flag}`.trimEnd();
  const out = [
    `Readability (Flesch–Kincaid grade; Flesch reading ease; aim for grade ${GRADE_LIMIT} or below)`,
    line('Section', 'grade', 'ease', 'words/sen', 'words', ''),
    ...rows.map((row) =>
      line(row.name, row.grade.toFixed(1), row.ease.toFixed(1), row.wordsPerSentence.toFixed(1), String(row.words), row.grade > GRADE_LIMIT ? `above ${GRADE_LIMIT}` : ''),
    ),
  ];
  const long = report.sections.flatMap((section) => section.longSentences);
  out.push('', long.length ? `Long sentences (over ${LONG_SENTENCE_WORDS} words): ${long.length}` : `No sentence is over ${LONG_SENTENCE_WORDS} words.`);
  for (const sentence of long) out.push(`  ${relative(sentence.file)}:${sentence.line}:${sentence.column} (${sentence.words} words) ${sentence.text}`);
  return out.join('\n');
}
