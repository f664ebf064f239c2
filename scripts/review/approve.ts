/**
 * `npm run review -- approve <manuscript> --by "Name, role"`: the clinical sign-off recorded
 * where the leaflet keeps it, in its front matter: `reviewed` (the day of the review),
 * `nextReview` (the review interval later) and `reviewedBy`; `version` too when asked.
 *
 * Only those values change: the rest of the file is kept byte for byte, its comments, key
 * order and quoting included, so that the commit that records the sign-off shows exactly
 * the sign-off. A value is written in the style of the one it replaces (quoted stays quoted;
 * a name and role given as `{ name, role }` stay so), and a key the front matter lacks is
 * added on a line of its own after its neighbours in the schema's order.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, parse, parseDocument, type Document, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { buildTimeFromEnv } from '../base/build-time.js';
import { problem } from '../base/problems.js';
import { writeOutputs } from '../base/write-outputs.js';
import { libraryFolderOf, readLibraryConfig } from '../library/config.js';
import { DEFAULT_REVIEW_MONTHS, leafletFields } from '../manuscript/leaflet-metadata.js';
import { sourceOfTranslation } from '../manuscript/mark-translation.js';
import { metadataSchema } from '../manuscript/metadata.js';
import { translationOf } from '../manuscript/translation-files.js';

export interface ApproveOptions {
  /** The manuscript's file with the front matter (a translation's own file for its review). */
  file: string;
  /** Who reviewed it: "Dr Ana Ruiz, Consultant Podiatrist". */
  by: string;
  /** The version approved, when it changes. */
  version?: string;
  /** The day of the review, YYYY-MM-DD: today (SOURCE_DATE_EPOCH's day when set) when not given. */
  date?: string;
}

export interface Approval {
  file: string;
  /** Each key set, with its value as written. */
  changed: { key: string; value: string }[];
}

/** Keys in the order the schema (and the README) gives them: a missing key is added after the last one before it that is there. */
const KEY_ORDER = Object.keys(metadataSchema.shape);

export async function approve(options: ApproveOptions): Promise<Approval> {
  const file = path.resolve(options.file);
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw problem(`cannot read the manuscript: ${(cause as Error).message}`, { file, hint: 'Give the .md file whose front matter records the review.', cause });
  });
  const reviewed = options.date ?? buildTimeFromEnv().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(reviewed) || Number.isNaN(Date.parse(`${reviewed}T00:00:00Z`))) {
    throw problem(`--date must be a date like 2026-11-24, not ${reviewed}`);
  }
  const months = await reviewMonths(file, text);
  const values: [string, string][] = [
    ...(options.version !== undefined ? ([['version', options.version]] as [string, string][]) : []),
    ['reviewed', reviewed],
    ['nextReview', addMonths(reviewed, months)],
    ['reviewedBy', options.by.trim()],
  ];
  let updated = text.startsWith('---') ? text : `---\n---\n${text}`;
  for (const [key, value] of values) updated = setKey(updated, key, value, file);
  checkFrontMatter(updated, file);
  await writeOutputs(path.dirname(file), [{ name: path.basename(file), bytes: new TextEncoder().encode(updated) }]);
  return { file, changed: values.map(([key, value]) => ({ key, value })) };
}

/** The front matter block of `text`: where its YAML starts and ends. */
function frontMatterBlock(text: string, file: string): { start: number; end: number; document: Document } {
  const match = /^---\r?\n([\s\S]*?)^---\r?$/m.exec(text);
  if (!match || match.index !== 0) throw problem('the front matter is not closed: no line `---` after it', { file, place: { line: 1, column: 1 } });
  const start = match[0].indexOf('\n') + 1;
  const end = start + match[1]!.length;
  const document = parseDocument(text.slice(start, end));
  if (document.errors.length) {
    throw problem(`malformed front matter: ${document.errors[0]!.message.split('\n')[0]}`, { file, hint: 'Fix the YAML between the --- lines, then approve again.' });
  }
  return { start, end, document };
}

/** `text` with front matter `key` set to `value`, nothing else changed. */
function setKey(text: string, key: string, value: string, file: string): string {
  const { start, end, document } = frontMatterBlock(text, file);
  const map = document.contents;
  if (map !== null && !isMap(map)) throw problem('the front matter is not a list of keys and values', { file });
  const pairs = (map?.items ?? []) as Pair[];
  const pair = pairs.find((item) => isScalar(item.key) && item.key.value === key);
  const replace = (range: [number, number, number] | null | undefined, replacement: string) =>
    text.slice(0, start + range![0]) + replacement + text.slice(start + range![1]);
  if (pair && isScalar(pair.value)) return replace(pair.value.range, scalarText(value, pair.value));
  if (pair && key === 'reviewedBy' && isMap(pair.value)) return setNameAndRole(text, start, pair.value, value);
  if (pair) {
    // A value of another shape (a list), or none (`reviewed:`): replaced on the key's line.
    const node = pair.value as Scalar | null;
    const at = start + (node?.range ? node.range[0] : (pair.key as Scalar).range![1] + 1);
    const to = start + (node?.range ? node.range[1] : (pair.key as Scalar).range![1] + 1);
    return text.slice(0, at) + (node?.range ? '' : ' ') + scalarText(value) + text.slice(to);
  }
  // Added after the last key before it in the schema's order (or at the end of the front matter).
  const before = KEY_ORDER.slice(0, KEY_ORDER.indexOf(key)).reverse();
  const previous = before.map((name) => pairs.find((item) => isScalar(item.key) && item.key.value === name)).find(Boolean);
  const line = `${key}: ${scalarText(value)}\n`;
  if (!previous) return text.slice(0, end) + (end > start && !text.slice(0, end).endsWith('\n') ? '\n' : '') + line + text.slice(end).replace(/^\r?\n/, '');
  const valueEnd = start + ((previous.value as Scalar | null)?.range?.[2] ?? (previous.key as Scalar).range![2]);
  // The end of the line the previous value ends on (its comment, if any, stays with it).
  const lineEnd = text.indexOf('\n', Math.max(valueEnd - 1, start));
  return text.slice(0, lineEnd + 1) + line + text.slice(lineEnd + 1);
}

/** A reviewer given as `{ name, role }` (flow or block): its `name` and `role` set from "Name, role". */
function setNameAndRole(text: string, start: number, map: YAMLMap, by: string): string {
  const comma = by.indexOf(',');
  const name = comma === -1 ? by : by.slice(0, comma).trim();
  const role = comma === -1 ? undefined : by.slice(comma + 1).trim();
  const item = (key: string) => (map.items as Pair[]).find((pair) => isScalar(pair.key) && pair.key.value === key);
  const edits: { from: number; to: number; text: string }[] = [];
  const nameItem = item('name');
  const roleItem = item('role');
  const set = (pair: Pair | undefined, value: string) => {
    const scalar = pair?.value as Scalar | undefined;
    edits.push({ from: start + scalar!.range![0], to: start + scalar!.range![1], text: scalarText(value, scalar) });
  };
  if (!nameItem || !isScalar(nameItem.value)) return text;
  set(nameItem, name);
  if (role !== undefined && roleItem && isScalar(roleItem.value)) set(roleItem, role);
  else if (role !== undefined) {
    // No role yet: one after the name, as the map writes its items.
    const nameEnd = start + (nameItem.value as Scalar).range![1];
    const flow = map.flow;
    const indent = flow ? '' : text.slice(text.lastIndexOf('\n', start + (nameItem.key as Scalar).range![0]) + 1, start + (nameItem.key as Scalar).range![0]);
    edits.push({ from: nameEnd, to: nameEnd, text: flow ? `, role: ${scalarText(role)}` : `\n${indent}role: ${scalarText(role)}` });
  } else if (roleItem) {
    // No role given: the old one goes, with its line (or its place in a flow map).
    const keyStart = start + (roleItem.key as Scalar).range![0];
    const valueEnd = start + (roleItem.value as Scalar).range![1];
    const from = map.flow ? text.lastIndexOf(',', keyStart) : text.lastIndexOf('\n', keyStart);
    edits.push({ from, to: valueEnd, text: '' });
  }
  return edits.sort((a, b) => b.from - a.from).reduce((result, edit) => result.slice(0, edit.from) + edit.text + result.slice(edit.to), text);
}

/** A value as YAML, in the style of the scalar it replaces: quoted as it was, or plain when YAML reads it back the same. */
function scalarText(value: string, old?: Scalar): string {
  if (old?.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (old?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  let readBack: unknown;
  try {
    readBack = (parse(`key: ${value}`) as { key?: unknown } | null)?.key;
  } catch {
    readBack = undefined;
  }
  const plain = (typeof readBack === 'string' && readBack === value) || (typeof readBack === 'number' && String(readBack) === value);
  return plain && !value.includes(' #') ? value : JSON.stringify(value);
}

/** The front matter still reads as the schema asks (review dates in order, say); a problem saying what is wrong if not. */
function checkFrontMatter(text: string, file: string): void {
  const { document } = frontMatterBlock(text, file);
  const data = { title: 'untitled', ...((document.toJS() as Record<string, unknown> | null) ?? {}) };
  const result = metadataSchema.safeParse(data);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  throw problem(`the front matter would not be valid: \`${issue.path.join('.')}\` ${issue.message}`, { file, hint: 'Nothing was written. Correct the front matter, then approve again.' });
}

/** `reviewInterval` in months: the file's own, a translation's source's, its library's, or the default (3 years). */
async function reviewMonths(file: string, text: string): Promise<number> {
  const own = intervalIn(text);
  if (own !== undefined) return own;
  const names = await readdir(path.dirname(file));
  if (translationOf(path.basename(file), names)) {
    const { input } = await sourceOfTranslation(file);
    if (input.endsWith('.md')) {
      const fromSource = intervalIn(await readFile(input, 'utf8'));
      if (fromSource !== undefined) return fromSource;
    }
  }
  const library = libraryFolderOf(file);
  const months = library ? leafletFields.reviewInterval.safeParse((await readLibraryConfig(library)).defaults.reviewInterval) : undefined;
  return months?.success && months.data !== undefined ? months.data : DEFAULT_REVIEW_MONTHS;
}

function intervalIn(text: string): number | undefined {
  const block = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text)?.[1];
  if (!block) return undefined;
  const written = (parse(block) as { reviewInterval?: unknown } | null)?.reviewInterval;
  const months = leafletFields.reviewInterval.safeParse(written);
  return months.success ? months.data : undefined;
}

/** A calendar date `months` later; the 29th to 31st of a shorter month is its last day. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const total = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(total / 12);
  const targetMonth = total % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return new Date(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay))).toISOString().slice(0, 10);
}
