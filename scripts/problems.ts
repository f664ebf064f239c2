/**
 * Every problem the build finds is a vfile message (`file:line:column`, reason,
 * and a note saying what to do), reported in one place by the CLI.
 */
import { VFileMessage } from 'vfile-message';
import type { Point, Position } from 'unist';

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

/** `file:line:column: error reason` and, indented below it, what to do. */
export function formatProblem(message: VFileMessage): string {
  const where = [message.file, message.line, message.column].filter((part) => part !== undefined && part !== '').join(':');
  const level = message.fatal ? 'error' : 'warning';
  const head = `${where ? `${where}: ` : ''}${level} ${message.reason}`;
  return message.note ? `${head}\n  ${message.note.split('\n').join('\n  ')}` : head;
}
