/**
 * What a queue worker accepts: a job of our own shape, whose file names stay inside its
 * folder, within the size limit; and problems that cross the queue keep their places.
 */
import { describe, expect, it } from 'vitest';
import { checkJobPath, JobRefused, readJob, receiveProblem, sendProblem, type LeafletJob } from '../scripts/library/job.js';
import { problem } from '../scripts/base/problems.js';

const job = (files: LeafletJob['files'], extra: Record<string, unknown> = {}): unknown => ({
  leaflet: 'leaflet.md',
  files,
  library: { title: 'Library', defaults: { publisher: 'Clinic' } },
  options: { formats: ['pdf', 'epub'], strict: false, buildTime: '2026-11-30T08:00:00.000Z' },
  outputsKey: 'massage-press:outputs:abc-1',
  ...extra,
});
const file = (path: string, text = 'text') => ({ path, base64: Buffer.from(text).toString('base64') });

describe('a queue job', () => {
  it('is read when it is ours', () => {
    const read = readJob(job([file('leaflet.md'), file('images/logo.svg')]), 1e6);
    expect(read.files.map((entry) => entry.path)).toEqual(['leaflet.md', 'images/logo.svg']);
  });

  it.each(['../secret.md', 'images/../../secret.md', '/etc/passwd', 'C:/Windows/win.ini', 'images\\..\\x.md', 'a//b.md', './a.md', 'a\0.md'])(
    'is refused with the file name %j',
    (name) => {
      expect(() => checkJobPath(name)).toThrow(JobRefused);
      expect(() => readJob(job([file('leaflet.md'), file(name)]), 1e6)).toThrow(/^file name refused/);
    },
  );

  it('is refused when it names a link, or anything else a job does not carry', () => {
    const linked = job([file('leaflet.md'), { ...file('images/logo.png'), symlink: '/etc/passwd' } as never]);
    expect(() => readJob(linked, 1e6)).toThrow(/^not a massage-press leaflet job: files\.1 Unrecognized key: "symlink"/);
    expect(() => readJob(job([file('leaflet.md')], { script: 'rm -rf /' }), 1e6)).toThrow(/Unrecognized key: "script"/);
    expect(() => readJob({ leaflet: 'x.md' }, 1e6)).toThrow(/^not a massage-press leaflet job/);
  });

  it('is refused when its files are over the size limit, before anything is decoded', () => {
    const big = job([file('leaflet.md'), file('images/photo.png', 'x'.repeat(2_000_000))]);
    expect(() => readJob(big, 1_000_000)).toThrow(/^the job's files are 2\.0 MB, over the limit of 1\.0 MB$/);
    expect(readJob(big, 3_000_000).files).toHaveLength(2);
  });

  it('is refused when a file is given twice (the second would overwrite the first)', () => {
    expect(() => readJob(job([file('leaflet.md'), file('leaflet.md')]), 1e6)).toThrow(/given twice/);
  });
});

describe('a problem across the queue', () => {
  it('keeps its reason, place and note, its file moved from the job folder to the library', () => {
    const found = problem('a link to a heading that does not exist: #x', {
      file: '/tmp/massage-press-job-1/library/back/02.md',
      place: { line: 4, column: 7 },
      hint: 'Fix the link.',
    });
    const sent = sendProblem(found, (name) => name.replace('/tmp/massage-press-job-1/library/', ''));
    expect(JSON.parse(JSON.stringify(sent))).toEqual({ reason: found.reason, file: 'back/02.md', line: 4, column: 7, note: 'Fix the link.', fatal: true });
    const received = receiveProblem(sent, (name) => `/home/clinic/library/${name}`);
    expect([received.file, received.line, received.column, received.note, received.fatal]).toEqual(['/home/clinic/library/back/02.md', 4, 7, 'Fix the link.', true]);
  });
});
