/**
 * Every problem the build finds is a vfile message (`file:line:column`, reason,
 * and a note saying what to do), reported in one place by the CLI.
 */
import path from 'node:path';
import { VFileMessage } from 'vfile-message';
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';

export interface ProblemOptions {
  file?: string;
  place?: Point | Position;
  /** What the user should do about it. */
  hint?: string;
  ruleId?: string;
  cause?: unknown;
}

/** A fatal problem: stops the build and makes the CLI exit non-zero. */
export function problem(reason: string, options: ProblemOptions = {}): VFileMessage {
  const message = new VFileMessage(reason, {
    place: options.place,
    ruleId: options.ruleId,
    source: 'press',
    cause: options.cause as Error | undefined,
  });
  message.fatal = true;
  if (options.file) message.file = options.file;
  if (options.hint) message.note = options.hint;
  return message;
}

export function isProblem(error: unknown): error is VFileMessage {
  return error instanceof VFileMessage;
}

/** `file:line:column: error reason` and, indented below it, what to do (unless `withNote` is false). */
export function formatProblem(message: VFileMessage, withNote = true): string {
  const where = [message.file, message.line, message.column].filter((part) => part !== undefined && part !== '').join(':');
  const level = message.fatal ? 'error' : 'warning';
  const head = `${where ? `${where}: ` : ''}${level} ${message.reason}`;
  return message.note && withNote ? `${head}\n  ${message.note.split('\n').join('\n  ')}` : head;
}

/** Record a problem on the manuscript file it is about; the stage goes on, so that one run reports every problem. */
export function fileProblem(file: VFile, reason: string, options: Omit<ProblemOptions, 'file' | 'cause'> & { fatal?: boolean }): VFileMessage {
  const message = file.message(reason, { place: options.place, ruleId: options.ruleId, source: 'press' });
  if (options.hint) message.note = options.hint;
  message.fatal = options.fatal ?? false;
  return message;
}

/** The manuscript has errors: every message (errors and warnings) of the run, to report all at once. */
export class ManuscriptProblems extends Error {
  constructor(readonly messages: VFileMessage[]) {
    const errors = messages.filter((message) => message.fatal).length;
    super(`${errors} error${errors === 1 ? '' : 's'} in the manuscript`);
  }
}

/**
 * Messages by file (in `fileOrder`, the manuscript's reading order; other files after, by name),
 * then line and column; each message once.
 */
export function sortProblems(messages: readonly VFileMessage[], fileOrder: readonly string[] = []): VFileMessage[] {
  const rank = (message: VFileMessage) => {
    const index = fileOrder.indexOf(String(message.file ?? ''));
    return index === -1 ? fileOrder.length : index;
  };
  return [...new Set(messages)].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      String(a.file ?? '').localeCompare(String(b.file ?? '')) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/** How many of one warning (the same rule and text) are printed before the rest are counted. */
export const REPEATS_SHOWN = 3;

/**
 * The report a person reads: every message as `file:line:column`, in the order given, a warning that
 * repeats (the same rule and text) shown REPEATS_SHOWN times and then counted, unless `verbose`;
 * then the count of errors and warnings. What to do is said once for messages that say the same
 * (sixty badges need one hint). Empty when there is nothing to report.
 */
export function formatReport(messages: readonly VFileMessage[], options: { verbose?: boolean } = {}): string {
  return messages.length ? `${formatMessages(messages, options)}${countProblems(messages)}\n` : '';
}

/** The messages of a report, without the count, each line ending in a newline. */
export function formatMessages(messages: readonly VFileMessage[], options: { verbose?: boolean } = {}): string {
  if (messages.length === 0) return '';
  const seen = new Map<string, number>();
  const repeats = new Map<string, number>();
  const keyOf = (message: VFileMessage) => `${message.ruleId ?? ''}\u0000${message.reason}`;
  for (const message of messages) if (!message.fatal) repeats.set(keyOf(message), (repeats.get(keyOf(message)) ?? 0) + 1);
  const lines: string[] = [];
  const notesGiven = new Set<string>();
  for (const message of messages) {
    const key = keyOf(message);
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (message.fatal || options.verbose || count <= REPEATS_SHOWN) {
      const note = `${message.ruleId ?? ''}\u0000${message.note ?? ''}`;
      lines.push(formatProblem(message, !notesGiven.has(note)));
      notesGiven.add(note);
    }
    const more = repeats.get(key)! - REPEATS_SHOWN;
    if (!message.fatal && !options.verbose && count === REPEATS_SHOWN && more > 0) {
      lines.push(`  … and ${more} more like this (\`--verbose\` lists them)`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `2 errors, 1 warning` */
export function countProblems(messages: readonly VFileMessage[]): string {
  const errors = messages.filter((message) => message.fatal).length;
  const warnings = messages.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

/** Messages name their files relative to the current folder, as a person typed them. */
export function relativeFiles(messages: readonly VFileMessage[]): VFileMessage[] {
  for (const message of messages) if (message.file && path.isAbsolute(message.file)) message.file = path.relative(process.cwd(), message.file);
  return [...messages];
}
