/**
 * What changed between two versions of a rendered text, marked in the newer one as a reviewer
 * reads a document with tracked changes: words put in are wrapped in `<ins>`, words taken out
 * come back in `<del>` where they stood, and each block holding a change (a paragraph, a list
 * item, a whole figure, table or call-out) carries a bar in the margin (class `change-bar`).
 *
 * The comparison is of the rendered text, not of the Markdown: a list renumbered, emphasis
 * written `*so*` instead of `_so_`, a paragraph rewrapped print the same and show nothing.
 * It goes in two steps, as a reader compares:
 * - by blocks: the text blocks of both versions (paragraphs, headings, list items, table cells,
 *   captions) are lined up, and a block that is gone or new is marked whole;
 * - by words within sentences: a block found changed is lined up with its old self sentence by
 *   sentence, and only the words of a sentence that changed are marked. A sentence rewritten
 *   almost whole is shown deleted and inserted whole, which reads better than a scatter of words.
 * Links and pictures are compared whole (their text, address, description and for a picture its
 * bytes): a link that goes elsewhere is shown replaced.
 */
import { diffArrays } from 'diff';
import { phrasing } from 'hast-util-phrasing';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Element, ElementContent, Root, RootContent, Text } from 'hast';

export interface ChangeCount {
  /** Words (pictures and links each one) marked inserted; signs are marked but not counted. */
  insertedWords: number;
  /** Words (pictures and links each one) marked deleted. */
  deletedWords: number;
  /** Blocks marked in the margin. */
  changedBlocks: number;
}

/** One version of the text, as rendered. */
export interface TextVersion {
  tree: Root;
  /** What a picture is beyond its `src` and alt text (a digest of its bytes): a picture replaced under the same name is a change. */
  imageIdentity?: (src: string) => string | undefined;
}

interface MarkOptions {
  /** The text's language, for where its words and sentences end. */
  lang: string;
  imageIdentity?: TextVersion['imageIdentity'];
}

/** The class of a block that holds a change: print.css draws a bar beside it in the margin. */
export const CHANGE_BAR = 'change-bar';
/** The class of a block that is new, or gone (then shown struck through where it stood). */
export const BLOCK_INSERTED = 'change-inserted';
export const BLOCK_DELETED = 'change-deleted';

/** Blocks that a change inside marks whole in the margin: a reviewer looks at the figure, table or box as one. */
const WHOLE_UNITS = new Set(['figure', 'table', 'pre', 'blockquote', 'details', 'aside']);

type Token =
  | { kind: 'word'; key: string; text: Text; parent: Element; start: number; end: number; sentence: number }
  | { kind: 'atom'; key: string; element: Element; parent: Element; sentence: number };

interface Block {
  element: Element;
  /** From the root down, without the block itself. */
  ancestors: (Root | Element)[];
  tokens: Token[];
  key: string;
}

/** Marks in `after`'s tree every change since `before` (whose tree is only read); `lang` is the text's language. */
export function markChanges(before: TextVersion, after: TextVersion, lang: string): ChangeCount {
  const count: ChangeCount = { insertedWords: 0, deletedWords: 0, changedBlocks: 0 };
  const oldBlocks = blocksOf(before.tree, { lang, imageIdentity: before.imageIdentity });
  const newBlocks = blocksOf(after.tree, { lang, imageIdentity: after.imageIdentity });
  const counterpart = new Map<number, number>();
  const replacedBy = new Map<number, number>();
  const removed: number[] = [];
  const runs = changeRuns(oldBlocks.map((block) => block.key), newBlocks.map((block) => block.key));
  for (const { oldStart, oldCount, newStart, newCount, equal } of runs) {
    if (equal) {
      for (let offset = 0; offset < oldCount; offset++) counterpart.set(oldStart + offset, newStart + offset);
      continue;
    }
    // Each old block of the run paired with the new one it became, when there is one.
    const removedRun = range(oldStart, oldCount);
    const addedRun = range(newStart, newCount);
    const pairs = pairBlocks(removedRun.map((i) => oldBlocks[i]!), addedRun.map((i) => newBlocks[i]!));
    for (const [oldIndex, newIndex] of pairs) {
      counterpart.set(removedRun[oldIndex]!, addedRun[newIndex]!);
      markWords(oldBlocks[removedRun[oldIndex]!]!, newBlocks[addedRun[newIndex]!]!, count);
    }
    const pairedOld = new Set(pairs.map(([oldIndex]) => removedRun[oldIndex]!));
    const pairedNew = new Set(pairs.map(([, newIndex]) => addedRun[newIndex]!));
    for (const i of addedRun) if (!pairedNew.has(i)) markBlockInserted(newBlocks[i]!, count);
    // A block gone in a run where another came (a picture replaced, a paragraph rewritten) stands before the new one.
    const firstNew = addedRun.find((i) => !pairedNew.has(i));
    for (const i of removedRun) {
      if (pairedOld.has(i)) continue;
      removed.push(i);
      if (firstNew !== undefined) replacedBy.set(i, firstNew);
    }
  }
  putBackRemoved(removed, oldBlocks, newBlocks, counterpart, replacedBy, after.tree, count);
  count.changedBlocks = drawBars(after.tree);
  return count;
}

interface Run {
  equal: boolean;
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
}

/** jsdiff's parts as runs: the same on both sides, or a change (old items taken out, new ones put in, either may be none). */
function changeRuns(olds: string[], news: string[]): Run[] {
  const runs: Run[] = [];
  let oldAt = 0;
  let newAt = 0;
  for (const part of diffArrays(olds, news)) {
    const count = part.count ?? part.value.length;
    const last = runs.at(-1);
    if (!part.added && !part.removed) runs.push({ equal: true, oldStart: oldAt, oldCount: count, newStart: newAt, newCount: count });
    else {
      const run = last && !last.equal ? last : { equal: false, oldStart: oldAt, oldCount: 0, newStart: newAt, newCount: 0 };
      if (run !== last) runs.push(run);
      if (part.removed) run.oldCount += count;
      else run.newCount += count;
    }
    if (!part.added) oldAt += count;
    if (!part.removed) newAt += count;
  }
  return runs;
}

const range = (start: number, length: number) => Array.from({ length }, (_, offset) => start + offset);

/** How many words the tokens are: a picture or a link is one, a sign none. */
const wordCount = (tokens: readonly Token[]) => tokens.filter((token) => token.kind === 'atom' || /[\p{L}\p{N}]/u.test(token.key)).length;

/* ---------- blocks and their tokens ---------- */

/** Elements whose content is never compared: icons, and the notes' way back to the text. */
const skipped = (node: Element) =>
  node.tagName === 'svg' || String(node.properties.ariaHidden) === 'true' || node.properties.dataFootnoteBackref !== undefined;

/** Compared whole, as one token: a link (its text and address), a picture, a checkbox. */
function atomKey(node: Element, options: MarkOptions): string | undefined {
  if (node.tagName === 'a' && node.properties.href !== undefined) return `a ${String(node.properties.href)} ${toString(node).replace(/\s+/g, ' ').trim()}`;
  if (node.tagName === 'img') {
    const src = String(node.properties.src ?? '');
    return `img ${src} ${String(node.properties.alt ?? '')} ${options.imageIdentity?.(src) ?? ''}`;
  }
  if (node.tagName === 'input') return `input ${node.properties.checked ? 'checked' : 'unchecked'}`;
  return undefined;
}

function blocksOf(tree: Root, options: MarkOptions): Block[] {
  const blocks: Block[] = [];
  const walk = (node: Root | Element, ancestors: (Root | Element)[]) => {
    if (node.type === 'element' && skipped(node)) return;
    const kids = node.children.filter((child): child is ElementContent => child.type !== 'doctype' && child.type !== 'comment');
    const inline = kids.filter((child) => phrasing(child));
    const hasText = inline.some((child) => (child.type === 'text' ? child.value.trim() !== '' : child.type === 'element' && !skipped(child)));
    if (node.type === 'element' && hasText) {
      const tokens = tokensOf(node, options);
      if (tokens.length) blocks.push({ element: node, ancestors, tokens, key: `${node.tagName} ${tokens.map((token) => token.key).join(' ')}` });
    }
    for (const child of kids) if (child.type === 'element' && !phrasing(child)) walk(child, [...ancestors, node]);
  };
  walk(tree, []);
  return blocks;
}

/** The block's words, signs and whole links and pictures, in reading order, each with the sentence it is in. */
function tokensOf(block: Element, options: MarkOptions): Token[] {
  const tokens: Token[] = [];
  const words = new Intl.Segmenter(options.lang, { granularity: 'word' });
  // The block's text as one string, an object replacement character for each whole token, to find its sentences.
  let text = '';
  const startsAt: number[] = [];
  const visitInline = (node: ElementContent, parent: Element) => {
    if (node.type === 'text') {
      for (const segment of words.segment(node.value)) {
        if (!segment.segment.trim()) continue;
        startsAt.push(text.length + segment.index);
        tokens.push({ kind: 'word', key: segment.segment, text: node, parent, start: segment.index, end: segment.index + segment.segment.length, sentence: 0 });
      }
      text += node.value;
    } else if (node.type === 'element' && phrasing(node) && !skipped(node)) {
      const key = atomKey(node, options);
      if (key !== undefined) {
        startsAt.push(text.length);
        tokens.push({ kind: 'atom', key, element: node, parent, sentence: 0 });
        text += toString(node) || '\uFFFC';
      } else node.children.forEach((child) => visitInline(child, node));
    }
  };
  for (const child of block.children) if (phrasing(child)) visitInline(child, block);
  const sentenceStarts = [...new Intl.Segmenter(options.lang, { granularity: 'sentence' }).segment(text)].map((segment) => segment.index);
  tokens.forEach((token, index) => {
    token.sentence = sentenceStarts.filter((start) => start <= startsAt[index]!).length - 1;
  });
  return tokens;
}

/* ---------- pairing changed blocks ---------- */

/** How alike two blocks' words are: 1 for the same, 0 for nothing in common (Dice's coefficient over their longest common run). */
function likeness(a: Block, b: Block): number {
  if (a.element.tagName !== b.element.tagName) return 0;
  const common = diffArrays(a.tokens.map((token) => token.key), b.tokens.map((token) => token.key))
    .filter((part) => !part.added && !part.removed)
    .reduce((sum, part) => sum + part.count!, 0);
  return (2 * common) / (a.tokens.length + b.tokens.length);
}

/** Blocks alike enough to be shown as one edited block rather than one deleted and one inserted. */
const PAIRING_LIKENESS = 0.4;

/** Beyond this many old × new blocks in one run of changes (a text rewritten whole), blocks are paired by their place alone. */
const MOST_PAIRINGS_WEIGHED = 10_000;

/** Old and new blocks paired in order, the pairs chosen for the most likeness in all (a longest-common-subsequence table). */
function pairBlocks(olds: Block[], news: Block[]): [number, number][] {
  if (!olds.length || !news.length) return [];
  if (olds.length * news.length > MOST_PAIRINGS_WEIGHED) {
    return range(0, Math.min(olds.length, news.length)).flatMap((i) => (likeness(olds[i]!, news[i]!) >= PAIRING_LIKENESS ? [[i, i] as [number, number]] : []));
  }
  const score = olds.map((a) => news.map((b) => likeness(a, b)));
  const best = Array.from({ length: olds.length + 1 }, () => new Array<number>(news.length + 1).fill(0));
  for (let i = olds.length - 1; i >= 0; i--) {
    for (let j = news.length - 1; j >= 0; j--) {
      const pair = score[i]![j]! >= PAIRING_LIKENESS ? score[i]![j]! + best[i + 1]![j + 1]! : 0;
      best[i]![j] = Math.max(pair, best[i + 1]![j]!, best[i]![j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < olds.length && j < news.length; ) {
    if (score[i]![j]! >= PAIRING_LIKENESS && best[i]![j] === score[i]![j]! + best[i + 1]![j + 1]!) pairs.push([i++, j++]);
    else if (best[i]![j] === best[i + 1]![j]) i++;
    else j++;
  }
  return pairs;
}

/* ---------- words within sentences ---------- */

interface Edit {
  /** Old tokens taken out, put back before new token `at`. */
  deleted: Token[];
  /** New tokens put in. */
  inserted: Token[];
  /** The new token the edit stands before (the new tokens' length: at the end). */
  at: number;
}

/** Below this share of words in common, a changed sentence is shown deleted and inserted whole. */
const WHOLE_SENTENCE_LIKENESS = 0.5;

function wordEdits(oldTokens: Token[], newTokens: Token[]): Edit[] {
  const sentences = (tokens: Token[]) => {
    const grouped: Token[][] = [];
    for (const token of tokens) (grouped[token.sentence] ??= []).push(token);
    return grouped.filter(Boolean);
  };
  const oldSentences = sentences(oldTokens);
  const newSentences = sentences(newTokens);
  const sentenceKey = (sentence: Token[]) => sentence.map((token) => token.key).join(' ');
  // Where each new sentence starts, as an index into the new tokens.
  const newStarts = newSentences.map((_, index) => newSentences.slice(0, index).flat().length);
  const edits: Edit[] = [];
  for (const run of changeRuns(oldSentences.map(sentenceKey), newSentences.map(sentenceKey))) {
    if (run.equal) continue;
    const olds = oldSentences.slice(run.oldStart, run.oldStart + run.oldCount).flat();
    const news = newSentences.slice(run.newStart, run.newStart + run.newCount).flat();
    edits.push(...runEdits(olds, news, newStarts[run.newStart] ?? newTokens.length));
  }
  return edits;
}

/** The edits that turn `olds` into `news` (which starts at new token `offset`), word by word, or whole when little is left in common. */
function runEdits(olds: Token[], news: Token[], offset: number): Edit[] {
  const whole = [{ deleted: olds, inserted: news, at: offset }];
  if (!olds.length || !news.length) return whole;
  const runs = foldSmallIslands(changeRuns(olds.map((token) => token.key), news.map((token) => token.key)), olds);
  const common = runs.filter((run) => run.equal).reduce((sum, run) => sum + run.oldCount, 0);
  if (common < WHOLE_SENTENCE_LIKENESS * Math.max(olds.length, news.length)) return whole;
  return runs
    .filter((run) => !run.equal)
    .map((run) => ({ deleted: olds.slice(run.oldStart, run.oldStart + run.oldCount), inserted: news.slice(run.newStart, run.newStart + run.newCount), at: offset + run.newStart }));
}

/**
 * A short word or a sign left standing alone between two changes ("a", a comma) is shown replaced with
 * them: "<del>twice</del> <ins>three times</ins> a day" reads better than a stray word kept between marks.
 */
function foldSmallIslands(runs: Run[], olds: Token[]): Run[] {
  const folded: Run[] = [];
  for (let index = 0; index < runs.length; index++) {
    const run = runs[index]!;
    const previous = folded.at(-1);
    const next = runs[index + 1];
    const small = run.equal && run.oldCount === 1 && olds[run.oldStart]!.key.length <= 3;
    if (small && previous && !previous.equal && next && !next.equal) {
      previous.oldCount += run.oldCount + next.oldCount;
      previous.newCount += run.newCount + next.newCount;
      index++;
    } else folded.push({ ...run });
  }
  return folded;
}

/* ---------- marking ---------- */

const element = (tagName: string, children: ElementContent[], properties: Element['properties'] = {}): Element => ({ type: 'element', tagName, properties, children });
const text = (value: string): Text => ({ type: 'text', value });

/** What an edit puts into one text node: ranges wrapped in `<ins>`, and `<del>` content set in at an offset. */
interface TextNodeMarks {
  parent: Element;
  wraps: [number, number][];
  inserts: { at: number; nodes: ElementContent[] }[];
}

function markWords(oldBlock: Block, newBlock: Block, count: ChangeCount): void {
  const edits = wordEdits(oldBlock.tokens, newBlock.tokens);
  if (!edits.length) return;
  const marks = new Map<Text, TextNodeMarks>();
  const marksOf = (node: Text, parent: Element) => {
    let found = marks.get(node);
    if (!found) marks.set(node, (found = { parent, wraps: [], inserts: [] }));
    return found;
  };
  const atomsToWrap: Token[] = [];
  const atomInserts: { before?: Element; after?: Element; parent: Element; nodes: ElementContent[] }[] = [];
  const tokens = newBlock.tokens;
  for (const edit of edits) {
    count.insertedWords += wordCount(edit.inserted);
    count.deletedWords += wordCount(edit.deleted);
    // Inserted tokens: each run within one text node wrapped once.
    for (let index = 0; index < edit.inserted.length; ) {
      const first = edit.inserted[index]!;
      if (first.kind === 'atom') {
        atomsToWrap.push(first);
        index++;
        continue;
      }
      let last = first;
      while (index + 1 < edit.inserted.length && edit.inserted[index + 1]!.kind === 'word' && (edit.inserted[index + 1] as typeof first).text === first.text) last = edit.inserted[++index] as typeof first;
      marksOf(first.text, first.parent).wraps.push([first.start, last.end]);
      index++;
    }
    if (!edit.deleted.length) continue;
    // Deleted tokens: set in before the token the edit stands before, or after the last one; a deleted sign
    // (a comma) right after the word before it, as it stood.
    const leadingSign = edit.deleted[0]!.kind === 'word' && !/[\p{L}\p{N}]/u.test(edit.deleted[0]!.key);
    const before = tokens[edit.at];
    const after = tokens[edit.at - 1];
    const deleted = element('del', deletedContent(edit.deleted));
    const attachAfter = after && (leadingSign || !before);
    if (attachAfter) {
      const nodes: ElementContent[] = leadingSign ? [deleted] : [text(' '), deleted];
      if (after.kind === 'word') marksOf(after.text, after.parent).inserts.push({ at: after.end, nodes });
      else atomInserts.push({ after: after.element, parent: after.parent, nodes });
    } else if (before) {
      if (before.kind === 'word') marksOf(before.text, before.parent).inserts.push({ at: before.start, nodes: [deleted, text(' ')] });
      else atomInserts.push({ before: before.element, parent: before.parent, nodes: [deleted, text(' ')] });
    } else newBlock.element.children.push(deleted);
  }
  for (const [node, { parent, wraps, inserts }] of marks) {
    const at = parent.children.indexOf(node);
    if (at !== -1) parent.children.splice(at, 1, ...splitText(node.value, wraps, inserts));
  }
  for (const token of atomsToWrap) {
    if (token.kind !== 'atom') continue;
    const at = token.parent.children.indexOf(token.element);
    if (at !== -1) token.parent.children[at] = element('ins', [token.element]);
  }
  for (const { before, after, parent, nodes } of atomInserts) {
    const anchor = before ?? after!;
    // The atom may have been wrapped in an `<ins>` meanwhile: its place is then the wrapper's.
    let at = parent.children.findIndex((child) => child === anchor || (child.type === 'element' && child.tagName === 'ins' && child.children[0] === anchor));
    if (at === -1) continue;
    if (after) at += 1;
    parent.children.splice(at, 0, ...nodes);
  }
}

/** A text node's value cut at its marks: inserted ranges in `<ins>`, deleted content set in at its offset. */
function splitText(value: string, wraps: [number, number][], inserts: { at: number; nodes: ElementContent[] }[]): ElementContent[] {
  const out: ElementContent[] = [];
  const cuts = [...new Set([0, value.length, ...wraps.flat(), ...inserts.map((insert) => insert.at)])].sort((a, b) => a - b);
  let open: Element | undefined;
  for (let index = 0; index < cuts.length; index++) {
    const at = cuts[index]!;
    const here = inserts.filter((insert) => insert.at === at).flatMap((insert) => insert.nodes);
    if (here.length) {
      out.push(...here);
      open = undefined;
    }
    const next = cuts[index + 1];
    if (next === undefined) break;
    const piece = text(value.slice(at, next));
    if (!wraps.some(([start, end]) => start <= at && next <= end)) {
      out.push(piece);
      open = undefined;
    } else if (open && wraps.some(([start, end]) => start < at && at < end)) open.children.push(piece);
    else out.push((open = element('ins', [piece])));
  }
  return out.filter((node) => node.type !== 'text' || node.value !== '');
}

/** What deleted tokens showed: the text as it stood (words of one text node with their spaces), links and pictures as they were. */
function deletedContent(tokens: Token[]): ElementContent[] {
  const out: ElementContent[] = [];
  let index = 0;
  while (index < tokens.length) {
    const token = tokens[index]!;
    if (out.length) out.push(text(' '));
    if (token.kind === 'atom') {
      out.push(structuredClone(token.element));
      index++;
      continue;
    }
    let last = token;
    while (index + 1 < tokens.length && tokens[index + 1]!.kind === 'word' && (tokens[index + 1] as typeof token).text === token.text) last = tokens[++index] as typeof token;
    out.push(text(token.text.value.slice(token.start, last.end)));
    index++;
  }
  // Neighbouring pieces of text as one.
  return out.reduce<ElementContent[]>((merged, node) => {
    const last = merged.at(-1);
    if (node.type === 'text' && last?.type === 'text') last.value += node.value;
    else merged.push(node);
    return merged;
  }, []);
}

/** A new block: its inline content wrapped whole in `<ins>`. */
function markBlockInserted(block: Block, count: ChangeCount): void {
  count.insertedWords += wordCount(block.tokens);
  wrapInline(block.element, 'ins');
  addClass(block.element, BLOCK_INSERTED);
}

function wrapInline(node: Element, tagName: 'ins' | 'del'): void {
  const kids = node.children;
  const out: ElementContent[] = [];
  for (let index = 0; index < kids.length; ) {
    if (!phrasing(kids[index]!) || (kids[index]!.type === 'element' && skipped(kids[index] as Element))) {
      out.push(kids[index++]!);
      continue;
    }
    const run: ElementContent[] = [];
    while (index < kids.length && phrasing(kids[index]!) && !(kids[index]!.type === 'element' && skipped(kids[index] as Element))) run.push(kids[index++]!);
    if (run.some((child) => child.type !== 'text' || child.value.trim())) out.push(element(tagName, run));
    else out.push(...run);
  }
  node.children = out;
}

/**
 * Blocks that are gone, put back struck through where they stood: before the block that took their
 * place, or next to the block that came before them (or after them) in the same parent. A list, a
 * table, a call-out or a section gone whole is put back whole.
 */
function putBackRemoved(
  removed: number[],
  oldBlocks: Block[],
  newBlocks: Block[],
  counterpart: Map<number, number>,
  replacedBy: Map<number, number>,
  after: Root,
  count: ChangeCount,
): void {
  const gone = new Set(removed);
  const placed = new Set<Element>();
  // The last block put back after each anchor: the next one gone from the same place goes after it, keeping their order.
  const lastAfter = new Map<Element | Root, Element>();
  const chainOf = (block: Block) => [...block.ancestors, block.element];
  for (const index of removed) {
    const block = oldBlocks[index]!;
    if (placed.has(block.element)) continue;
    const chain = chainOf(block);
    // The highest container around the block whose every block is gone (never the whole text).
    let depth = chain.length - 1;
    while (depth > 1) {
      const container = chain[depth - 1]!;
      const inside = oldBlocks.flatMap((other, i) => (other.ancestors.includes(container) ? [i] : []));
      if (!inside.every((i) => gone.has(i))) break;
      depth--;
    }
    const unit = chain[depth] as Element;
    const oldParent = chain[depth - 1]!;
    const members = oldBlocks.flatMap((other, i) => (other.element === unit || other.ancestors.includes(unit) ? [i] : []));
    for (const i of members) placed.add(oldBlocks[i]!.element);
    count.deletedWords += members.reduce((sum, i) => sum + wordCount(oldBlocks[i]!.tokens), 0);
    const clone = structuredClone(unit);
    for (const inner of blocksOf({ type: 'root', children: [clone] }, { lang: 'und' })) wrapInline(inner.element, 'del');
    addClass(clone, BLOCK_DELETED);

    // Beside a surviving block of the same old parent: after the one before, or before the one after.
    const neighbour = (from: number, step: 1 | -1) => {
      for (let i = from; i >= 0 && i < oldBlocks.length; i += step) {
        if (!counterpart.has(i)) continue;
        const oldChain = chainOf(oldBlocks[i]!);
        if (oldChain[depth - 1] !== oldParent || oldChain.length <= depth) return undefined;
        const newChain = chainOf(newBlocks[counterpart.get(i)!]!);
        const anchor = newChain[depth];
        const parent = newChain[depth - 1];
        return anchor?.type === 'element' && parent ? { anchor, parent } : undefined;
      }
      return undefined;
    };
    // Before the block that took its place, when that one is of its kind, at its depth.
    const replacement = replacedBy.get(members[0]!);
    const replacementChain = replacement === undefined ? undefined : chainOf(newBlocks[replacement]!);
    const taken = replacementChain?.[depth];
    if (taken?.type === 'element' && taken.tagName === unit.tagName && replacementChain!.length > depth) {
      const parent = replacementChain![depth - 1]!;
      parent.children.splice(parent.children.indexOf(taken), 0, clone);
      continue;
    }
    const before = neighbour(members[0]! - 1, -1);
    if (before) {
      const previous = lastAfter.get(before.anchor) ?? before.anchor;
      before.parent.children.splice(before.parent.children.indexOf(previous) + 1, 0, clone);
      lastAfter.set(before.anchor, clone);
      continue;
    }
    const following = neighbour(members.at(-1)! + 1, 1);
    if (following) {
      following.parent.children.splice(following.parent.children.indexOf(following.anchor), 0, clone);
      continue;
    }
    // Nothing left of its parent: after the top-level block before it, or at the start of the text, in a list or
    // table of its own if it was an item or a row.
    const holder: Element = (unit.tagName === 'li' || unit.tagName === 'tr') && oldParent.type === 'element' ? { ...oldParent, children: [clone] } : clone;
    const earlier = [...counterpart.keys()].filter((i) => i < members[0]!);
    const previousIndex = earlier.length ? Math.max(...earlier) : undefined;
    const top = previousIndex === undefined ? undefined : chainOf(newBlocks[counterpart.get(previousIndex)!]!);
    if (top && top.length > 2) {
      const parent = top[1]!;
      const anchor = lastAfter.get(parent) ?? (top[2] as Element);
      parent.children.splice(parent.children.indexOf(anchor) + 1, 0, holder);
      lastAfter.set(parent, holder);
    } else {
      const first = after.children.find((child): child is Element => child.type === 'element');
      if (first) first.children.unshift(holder);
      else after.children.unshift(holder);
    }
  }
}

function classList(node: Element): string[] {
  const value = node.properties.className;
  return Array.isArray(value) ? value.map(String) : value ? String(value).split(/\s+/) : [];
}

function addClass(node: Element, name: string): void {
  const names = classList(node);
  if (!names.includes(name)) node.properties.className = [...names, name];
}

/** A figure, table, call-out or list item holding a change is marked whole; other blocks one by one. Returns how many. */
function drawBars(tree: Root): number {
  const unitOf = (ancestors: Element[], node: Element): Element => {
    const chain = [...ancestors, node];
    const whole = chain.find((candidate) => WHOLE_UNITS.has(candidate.tagName) || classList(candidate).includes('callout'));
    if (whole) return whole;
    return chain.find((candidate) => candidate.tagName === 'li') ?? node;
  };
  const units = new Set<Element>();
  const walk = (node: Element, ancestors: Element[]) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'ins' || child.tagName === 'del') {
        const block = [...ancestors, node].reverse().find((candidate) => !phrasing(candidate));
        if (block) units.add(unitOf(ancestors.slice(0, ancestors.indexOf(block) === -1 ? ancestors.length : ancestors.indexOf(block)), block));
      } else walk(child, [...ancestors, node]);
    }
  };
  for (const child of tree.children) if (child.type === 'element') walk(child, []);
  for (const unit of units) addClass(unit, CHANGE_BAR);
  return units.size;
}
