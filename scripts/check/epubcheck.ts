/**
 * Run the W3C's epubcheck (Java) on an EPUB and read its verdict: the summary
 * counts and each message with its place inside the package, so that
 * `npm run check` and the tests judge an EPUB the same way a store does.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's `epubcheck` package; EPUBCHECK_JAR points elsewhere. */
export function epubcheckJar(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const jar = env.EPUBCHECK_JAR ?? '/usr/share/java/epubcheck.jar';
  return existsSync(jar) ? jar : undefined;
}

export interface EpubCheckMessage {
  severity: 'FATAL' | 'ERROR' | 'WARNING' | 'USAGE' | 'INFO';
  code: string;
  /** Path inside the package, e.g. `OEBPS/01-intro.xhtml`, when epubcheck names one. */
  entry?: string;
  line?: number;
  column?: number;
  text: string;
}

export interface EpubCheckResult {
  fatals: number;
  errors: number;
  warnings: number;
  messages: EpubCheckMessage[];
  output: string;
}

export async function epubCheck(file: string, jar = epubcheckJar() ?? '/usr/share/java/epubcheck.jar'): Promise<EpubCheckResult> {
  const output = await run('java', ['-jar', jar, file], { maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => stdout + stderr,
    (error: { stdout?: string; stderr?: string; message: string }) => (error.stdout ?? '') + (error.stderr ?? '') || error.message,
  );
  return readEpubcheckReport(output);
}

/** What `epubcheck FILE` printed (standard output, then standard error), read: its counts and its messages. */
export function readEpubcheckReport(output: string): EpubCheckResult {
  const counts = /Messages: (\d+) fatals? \/ (\d+) errors? \/ (\d+) warnings?/.exec(output);
  if (!counts) throw new Error(`epubcheck printed no summary:\n${output}`);
  return { fatals: Number(counts[1]), errors: Number(counts[2]), warnings: Number(counts[3]), messages: parseMessages(output), output };
}

/** Lines like `ERROR(RSC-012): book.epub/OEBPS/03-x.xhtml(12,34): Fragment identifier is not defined.` */
function parseMessages(output: string): EpubCheckMessage[] {
  const pattern = /^(FATAL|ERROR|WARNING|USAGE|INFO)\(([\w-]+)\): .+?\.epub(?:\/([^(]*))?\((-?\d+),(-?\d+)\): (.*)$/gm;
  return [...output.matchAll(pattern)].map(([, severity, code, entry, line, column, text]) => ({
    severity: severity as EpubCheckMessage['severity'],
    code: code!,
    entry: entry || undefined,
    line: Number(line) > 0 ? Number(line) : undefined,
    column: Number(column) > 0 ? Number(column) : undefined,
    text: text!,
  }));
}
