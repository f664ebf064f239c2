/**
 * A leaflet as a queue job, and what a worker sends back. The job carries every file the
 * leaflet is built from (its Markdown, its images, the library's logo), so that a worker on
 * another machine needs no shared disk; the outputs come back through Redis, under a key of
 * the job's own. Both directions are checked here, the same way on both sides.
 *
 * A worker treats a job as a manuscript from a stranger: it is parsed against a strict
 * schema, a file name that could climb out of the job's folder (`..`, an absolute path, a
 * drive letter, a backslash) is refused, and so is a job whose files add up to more than
 * the size limit. Files are written as plain files, never links, and never over one another.
 */
import { z } from 'zod';
import { VFileMessage } from 'vfile-message';
import { FORMATS } from '../base/formats.js';
import { problem } from '../base/problems.js';
import { catalogueEntrySchema } from './entry.js';

export const QUEUE_NAME = 'massage-press-leaflets';

/** The most a job's files may add up to, by default: a leaflet with its pictures is a few MB. */
export const DEFAULT_MAX_JOB_BYTES = 50 * 1000 * 1000;

const relativePath = z.string().min(1).max(1024);

export const leafletJobSchema = z
  .object({
    /** The leaflet's path in the library, and what to build: a .md file or a folder, relative to the job's folder. */
    leaflet: relativePath,
    files: z.array(z.object({ path: relativePath, base64: z.string() }).strict()).min(1).max(10_000),
    library: z
      .object({
        title: z.string(),
        defaults: z.record(z.string(), z.unknown()),
        logo: relativePath.optional(),
        downloadBaseUrl: z.string().optional(),
      })
      .strict(),
    options: z.object({ formats: z.array(z.enum(FORMATS)).min(1), strict: z.boolean(), buildTime: z.iso.datetime() }).strict(),
    /** The Redis key the worker puts the outputs under. */
    outputsKey: z.string().regex(/^massage-press:outputs:[\w-]+$/),
  })
  .strict();

export type LeafletJob = z.infer<typeof leafletJobSchema>;

/** A problem as it crosses the queue: its file relative to the library folder. */
const problemSchema = z.object({
  reason: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
  note: z.string().optional(),
  fatal: z.boolean(),
});
export type SentProblem = z.infer<typeof problemSchema>;

export const leafletResultSchema = z.object({
  entry: catalogueEntrySchema,
  warnings: z.array(problemSchema),
  /** The names of the files under `outputsKey`. */
  outputs: z.array(z.string().regex(/^(?:[\w-][\w.-]*\/)?[\w-][\w.-]*$/, 'must be a file of the leaflet\'s folder, or of a folder in it')),
});
export type LeafletResult = z.infer<typeof leafletResultSchema>;

/** What a job that failed for its content says, as its failure reason (BullMQ keeps a string). */
export const contentFailureSchema = z.object({ problems: z.array(problemSchema).min(1) });

/** Why a job was refused before anything of it was written. */
export class JobRefused extends Error {}

/** A path that stays inside the job's folder: relative, `/`-separated, no `..` or `.` part, nothing a file system reads otherwise. */
export function checkJobPath(name: string): void {
  const parts = name.split('/');
  if (
    name.startsWith('/') ||
    /^[a-zA-Z]:/.test(name) ||
    name.includes('\\') ||
    name.includes('\0') ||
    parts.some((part) => part === '' || part === '.' || part === '..')
  ) {
    throw new JobRefused(`file name refused: ${JSON.stringify(name)} (only relative paths inside the job's folder)`);
  }
}

/** The job, parsed and checked: its paths, and its size against `maxBytes`. */
export function readJob(data: unknown, maxBytes: number): LeafletJob {
  const parsed = leafletJobSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new JobRefused(`not a massage-press leaflet job: ${issue.path.join('.') || '(job)'} ${issue.message}`);
  }
  const job = parsed.data;
  for (const file of job.files) checkJobPath(file.path);
  checkJobPath(job.leaflet);
  if (job.library.logo) checkJobPath(job.library.logo);
  const names = new Set<string>();
  for (const file of job.files) {
    if (names.has(file.path)) throw new JobRefused(`file name refused: ${JSON.stringify(file.path)} is given twice`);
    names.add(file.path);
  }
  // Base64 is 4 characters for 3 bytes: the size is known before anything is decoded.
  const bytes = job.files.reduce((sum, file) => sum + Math.floor((file.base64.length * 3) / 4), 0);
  if (bytes > maxBytes) throw new JobRefused(`the job's files are ${formatMB(bytes)}, over the limit of ${formatMB(maxBytes)}`);
  return job;
}

export const formatMB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** A problem ready to cross the queue, its file relative to `root` (the job's folder, or the library's). */
export function sendProblem(message: VFileMessage, relativeTo: (file: string) => string): SentProblem {
  return {
    reason: message.reason,
    file: message.file ? relativeTo(message.file) : undefined,
    line: message.line,
    column: message.column,
    note: message.note,
    fatal: message.fatal === true,
  };
}

/** A problem back from the queue, its file in the library folder. */
export function receiveProblem(sent: SentProblem, resolve: (file: string) => string): VFileMessage {
  const place = sent.line ? { line: sent.line, column: sent.column ?? 1 } : undefined;
  if (sent.fatal) return problem(sent.reason, { file: sent.file && resolve(sent.file), place, hint: sent.note });
  const warning = new VFileMessage(sent.reason, { place, source: 'press' });
  if (sent.file) warning.file = resolve(sent.file);
  if (sent.note) warning.note = sent.note;
  return warning;
}
