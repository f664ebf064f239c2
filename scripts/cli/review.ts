/**
 * `npm run review -- <manuscript>`: a review copy with every change since the version last
 * approved marked (scripts/review/review-copy.ts); `npm run review -- approve <manuscript> --by
 * "Name, role"`: the sign-off recorded in the front matter (scripts/review/approve.ts).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatProblem, formatReport, isProblem, ManuscriptProblems, problem, relativeFiles } from '../base/problems.js';
import { PROJECT_ROOT } from '../base/project-root.js';
import { createProgress, quietFromEnv } from '../base/progress.js';
import { approve } from '../review/approve.js';
import { makeReviewCopy, REVIEW_FORMATS, type ReviewFormat } from '../review/review-copy.js';
import { runMain } from './run-main.js';

const REVIEW_HELP = `Usage: npm run review -- <manuscript> [options]
       npm run review -- approve <manuscript> --by "Name, role" [--version <v>]

A review copy: the leaflet with every change since the version last approved
marked (inserted words underlined in blue, deleted words struck through in red,
a bar in the margin beside each changed block, the changed front matter listed
at the top), as an A4 PDF and an HTML page, or a Word file with tracked changes.

  <manuscript>          a .md file, a translation (heel-pain.es.md: compared with
                        its own earlier version), or a folder of .md files

Options:
  --since <v>           compare with this \`version\` of the front matter (the commit
                        that set it) or a git revision (a commit, a tag, HEAD~2);
                        default: the last commit that changed \`version\`
  --format <list>       pdf (with the HTML page), docx, or pdf,docx (default: pdf)
  --out <dir>           output folder (default: dist/)
  --quiet               no progress lines (also when CI=true)

approve: records the clinical sign-off in the front matter, changing nothing
else in the file: \`reviewed\` (today), \`nextReview\` (\`reviewInterval\` later:
front matter or library.yaml, default 3 years) and \`reviewedBy\`.
  --by "Name, role"     who reviewed it (required)
  --version <v>         also set \`version\` (only when given)
  --date <YYYY-MM-DD>   the day of the review, when it was not today
`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        since: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        by: { type: 'string' },
        version: { type: 'string' },
        date: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (cause) {
    return report(problem((cause as Error).message, { hint: 'Run `npm run review -- --help` for the options.' }));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(REVIEW_HELP);
    return 0;
  }
  try {
    if (positionals[0] === 'approve') {
      const [, file, ...rest] = positionals;
      if (!file || rest.length) throw problem('approve takes one manuscript file', { hint: 'npm run review -- approve heel-pain.md --by "Dr Ana Ruiz, Consultant Podiatrist"' });
      if (!values.by) throw problem('approve needs --by: who reviewed the leaflet', { hint: 'For example --by "Dr Ana Ruiz, Consultant Podiatrist".' });
      const approved = await approve({ file: path.resolve(file), by: values.by, version: values.version, date: values.date });
      const changed = approved.changed.map(({ key, value }) => `${key}: ${value}`).join(', ');
      process.stdout.write(`${path.relative(process.cwd(), approved.file) || approved.file}: ${changed}\nCommit the change to record the sign-off.\n`);
      return 0;
    }
    if (positionals.length !== 1) {
      throw problem(positionals.length ? `expected one manuscript, got ${positionals.length}: ${positionals.join(' ')}` : 'no manuscript given', {
        hint: 'npm run review -- manuscript/heel-pain.md [--since 2.1]',
      });
    }
    const formats = (values.format ?? 'pdf').split(',').map((name) => name.trim().toLowerCase());
    const unknown = formats.filter((name) => !(REVIEW_FORMATS as readonly string[]).includes(name));
    if (unknown.length || !formats.length) throw problem(`a review copy is not made as: ${unknown.join(', ') || '(none)'}`, { hint: `Use --format with ${REVIEW_FORMATS.join(', ')}.` });
    const progress = createProgress({ quiet: quietFromEnv(values.quiet) });
    const copy = await makeReviewCopy({
      input: positionals[0]!,
      since: values.since,
      outDir: path.resolve(values.out ?? path.join(PROJECT_ROOT, 'dist')),
      formats: [...new Set(formats)] as ReviewFormat[],
      progress,
    });
    process.stderr.write(formatReport(relativeFiles(copy.warnings), { verbose: false }));
    const name = path.relative(process.cwd(), path.resolve(positionals[0]!)) || positionals[0]!;
    if (copy.unchanged) {
      process.stdout.write(`${name}: no changes since ${copy.since}: nothing to review\n`);
      return 0;
    }
    for (const file of copy.files) process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}\n`);
    const review = copy.publication?.review;
    const changes = review?.changes;
    const parts = [
      changes ? `${plural(changes.insertedWords, 'word')} inserted, ${changes.deletedWords} deleted, in ${plural(changes.changedBlocks, 'block')}` : '',
      review?.frontMatter.length ? `front matter: ${review.frontMatter.map((change) => change.key).join(', ')}` : '',
    ].filter(Boolean);
    process.stdout.write(`${name}: changes since ${copy.since}: ${parts.join('; ')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ManuscriptProblems) {
      process.stderr.write(formatReport(relativeFiles(error.messages), { verbose: false }));
      return 1;
    }
    if (isProblem(error)) return report(error);
    throw error;
  }
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function report(error: ReturnType<typeof problem>): number {
  process.stderr.write(`${formatProblem(error)}\n`);
  return 1;
}

runMain(main);
