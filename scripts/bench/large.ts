/**
 * `npm run bench -- --large`: books of any size. Loading a manuscript (reading and parsing
 * it, checking its front matter) at 1, 2 and 5 MB, to show it stays linear in the size;
 * then the 5 MB manuscript's default build, every edition and the EPUB, with its wall time
 * and peak memory.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadManuscript } from '../manuscript/load.js';
import { PROJECT_ROOT } from '../base/project-root.js';

/**
 * The article's text repeated to `bytes`, each copy's headings numbered so that they stay
 * distinct; `frontMatterExtra` is added to the article's front matter (e.g. `editions: [a4]\n`).
 * Returns how many copies it holds, and the last copy's last heading and paragraph.
 */
export async function writeLargeManuscript(file: string, bytes: number, frontMatterExtra = ''): Promise<{ copies: number; lastHeading: string; lastParagraph: string }> {
  const article = await readFile(path.join(PROJECT_ROOT, 'manuscript', 'foot-massage.md'), 'utf8');
  const [, frontMatter, body] = article.split(/^---$/m) as [string, string, string];
  const sections = body.replace(/^# .*$/m, '').trim();
  const parts = [`---${frontMatter}${frontMatterExtra}---\n\n# A very long handout\n`];
  let size = Buffer.byteLength(parts[0]!);
  let copies = 0;
  while (size < bytes) {
    copies++;
    const copy = `\n${sections.replace(/^(#{2,} .*)$/gm, `$1, part ${copies}`)}\n`;
    parts.push(copy);
    size += Buffer.byteLength(copy);
  }
  await writeFile(file, parts.join(''));
  const paragraphs = sections.split(/\n{2,}/);
  const headings = [...sections.matchAll(/^#{2,} (.*)$/gm)].map((match) => match[1]!);
  return { copies, lastHeading: `${headings.at(-1)}, part ${copies}`, lastParagraph: paragraphs.at(-1)! };
}

const MB = 1024 * 1024;

/** Load time at each size, the median of `runs` loads, in this process. */
export async function measureLoading(folder: string, sizesMB: readonly number[], runs = 3): Promise<{ megabytes: number; milliseconds: number }[]> {
  const results = [];
  for (const megabytes of sizesMB) {
    const file = path.join(folder, `load-${megabytes}mb.md`);
    await writeLargeManuscript(file, megabytes * MB);
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await loadManuscript(file);
      times.push(performance.now() - started);
    }
    results.push({ megabytes, milliseconds: times.sort((a, b) => a - b)[Math.floor(runs / 2)]! });
  }
  return results;
}

interface Measured {
  wallMs: number;
  peakPssMiB: number;
  stdout: string;
}

export async function benchLarge(work: string, buildCli: (args: string[]) => Promise<Measured>, forgetKeptWork: () => Promise<void>): Promise<void> {
  const loading = await measureLoading(work, [1, 2, 5]);
  console.log('\nloading a manuscript (read, parse, front matter), median of 3:');
  for (const { megabytes, milliseconds } of loading) console.log(`  ${megabytes} MB  ${Math.round(milliseconds)} ms  (${Math.round(milliseconds / megabytes)} ms per MB)`);
  const file = path.join(work, 'large-5mb.md');
  const { copies } = await writeLargeManuscript(file, 5 * MB);
  // Cold: its tree is not kept from an earlier bench or test run of the same text.
  await forgetKeptWork();
  const built = await buildCli([file, '--out', path.join(work, 'large-out'), '--quiet', '--timings']);
  console.log(`\n5 MB manuscript (${copies} copies of the article), default build (A4, US Letter, large print and the EPUB):`);
  console.log(built.stdout.slice(built.stdout.indexOf('timings (ms):')).trimEnd().replace(/^/gm, '  '));
  const pages = [...built.stdout.matchAll(/wrote .*?-(a4|letter|large-print)\.pdf \((\d+) pages/g)].map((match) => `${match[1]} ${match[2]} pages`);
  console.log(`  ${pages.join(', ')}`);
  console.log(`  wall ${(built.wallMs / 1000).toFixed(1)} s, peak memory ${Math.round(built.peakPssMiB)} MiB PSS (build process tree)`);
}
