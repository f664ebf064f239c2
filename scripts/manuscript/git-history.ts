/**
 * A manuscript's earlier versions, read from git with git itself (`git log --follow`,
 * `git cat-file`, `git archive`): never from the network, and never from anywhere but the
 * repository the manuscript is in.
 *
 * A version is named as a writer names it: by the front matter's `version` ("2.1": the
 * commit that set it), or by any git revision (`HEAD~3`, a tag, a commit). Without a name,
 * the version last approved is the last commit that changed `version`.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { extract } from 'tar-stream';
import { parse } from 'yaml';
import { problem } from '../base/problems.js';

const run = promisify(execFile);

/** One commit of a file's history. */
export interface Revision {
  commit: string;
  /** The commit's date, YYYY-MM-DD. */
  date: string;
  /** The file's path in the repository at that commit (it may have been renamed since). */
  path: string;
  /** The front matter's `version` at that commit, if it has one. */
  version?: string;
  /** The file's text at that commit. */
  text: string;
}

export interface Baseline extends Revision {
  /** The working copy's top folder. */
  root: string;
  /** The commit's short name, `1a2b3c4`. */
  short: string;
  /** How a reader is told which version it is: "version 1 (commit 1a2b3c4, 2025-03-01)". */
  description: string;
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

/** The top folder of the git working copy `file` is in; a clear problem when there is none, or no git. */
export async function repositoryOf(file: string): Promise<string> {
  const folder = path.dirname(path.resolve(file));
  try {
    return (await git(folder, ['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: string };
    if (code === 'ENOENT') {
      throw problem('git is not installed: a review copy reads the earlier version from git', { file, hint: 'Install git (https://git-scm.com), then run the review again.' });
    }
    throw problem('not in a git repository: a review copy compares the manuscript with an earlier version kept in git', {
      file,
      hint: `Keep the manuscript in git and commit each version (\`git init\`, \`git add\`, \`git commit\`).${stderr ? ` git said: ${stderr.trim()}` : ''}`,
    });
  }
}

/** The file's history, newest first, following renames; each commit with the file's text and `version`. */
export async function historyOf(root: string, file: string): Promise<Revision[]> {
  const relative = path.relative(root, path.resolve(file)).split(path.sep).join('/');
  const log = await git(root, ['log', '--follow', '--format=%x1e%H %cs', '--name-only', '--', relative]);
  const entries = log
    .split('\x1e')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [head, ...names] = entry.split('\n').filter(Boolean);
      const [commit, date] = head!.split(' ');
      return { commit: commit!, date: date!, path: names.at(-1) ?? relative };
    });
  const texts = await readBlobs(root, entries.map(({ commit, path: at }) => `${commit}:${at}`));
  return entries.map((entry, index) => ({ ...entry, text: texts[index]!, version: versionIn(texts[index]!) }));
}

/** Several files' texts at once (`git cat-file --batch`); a missing one is empty. */
async function readBlobs(root: string, names: string[]): Promise<string[]> {
  if (!names.length) return [];
  const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git cat-file exited with ${code}`))));
  });
  child.stdin.end(names.map((name) => `${name}\n`).join(''));
  await done;
  const output = Buffer.concat(chunks);
  const texts: string[] = [];
  let at = 0;
  for (let index = 0; index < names.length; index++) {
    const lineEnd = output.indexOf(10, at);
    const header = output.toString('utf8', at, lineEnd);
    at = lineEnd + 1;
    const size = /^\S+ blob (\d+)$/.exec(header)?.[1];
    if (size === undefined) {
      texts.push('');
      continue;
    }
    texts.push(output.toString('utf8', at, at + Number(size)));
    at += Number(size) + 1;
  }
  return texts;
}

/** The `version` a Markdown file's front matter gives, as text. */
export function versionIn(text: string): string | undefined {
  const block = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text)?.[1];
  if (!block) return undefined;
  try {
    const data = parse(block) as { version?: unknown } | null;
    return data && typeof data === 'object' && data.version !== undefined && data.version !== null ? String(data.version) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The version of `file` to compare with: `since` as a `version` value (the commit that set it) or a git revision;
 * without it, the last commit that changed `version`, or, in a history without one, the last commit whose text
 * differs from the file as it is now.
 */
export async function baselineOf(file: string, since: string | undefined, current: string): Promise<Baseline> {
  const root = await repositoryOf(file);
  const history = await historyOf(root, file);
  const name = path.basename(file);
  if (!history.length) {
    throw problem(`${name} has no history in git: there is no earlier version to compare with`, { file, hint: `Commit it first (\`git add ${name}\`, \`git commit\`).` });
  }
  const found = since === undefined ? lastApproved(history, current) : ((await byVersion(history, since)) ?? (await byRevision(root, history, since, file)));
  if (!found) {
    const versions = [...new Set(history.flatMap((revision) => (revision.version ? [revision.version] : [])))];
    throw problem(`unknown version or git revision: ${since}`, {
      file,
      hint: `Give a \`version\` the history of ${name} has (${versions.length ? versions.join(', ') : 'none has one'}) or a git revision (a commit, a tag, HEAD~2).`,
    });
  }
  const short = found.commit.slice(0, 7);
  return { ...found, root, short, description: found.version ? `version ${found.version} (commit ${short}, ${found.date})` : `commit ${short} of ${found.date}` };
}

/** The last commit that changed `version` (or the first that set it); without any, the last whose text is not the current one. */
function lastApproved(history: Revision[], current: string): Revision | undefined {
  const changed = history.find((revision, index) => revision.version !== undefined && revision.version !== history[index + 1]?.version);
  return changed ?? history.find((revision) => revision.text !== current) ?? history[0];
}

/** The commit that set `version` to `since`, the latest time it was set. */
async function byVersion(history: Revision[], since: string): Promise<Revision | undefined> {
  let index = history.findIndex((revision) => revision.version === since);
  if (index === -1) return undefined;
  while (history[index + 1]?.version === since) index++;
  return history[index];
}

/** The file as it was at a git revision: the path it had then comes from its history. */
async function byRevision(root: string, history: Revision[], since: string, file: string): Promise<Revision | undefined> {
  const commit = await git(root, ['rev-parse', '--verify', '--quiet', `${since}^{commit}`]).then(
    (out) => out.trim(),
    () => undefined,
  );
  if (!commit) return undefined;
  for (const revision of history) {
    const isAncestor = await git(root, ['merge-base', '--is-ancestor', revision.commit, commit]).then(
      () => true,
      () => false,
    );
    if (!isAncestor) continue;
    const [text] = await readBlobs(root, [`${commit}:${revision.path}`]);
    const date = (await git(root, ['show', '-s', '--format=%cs', commit])).trim();
    return { commit, date, path: revision.path, text: text!, version: versionIn(text!) };
  }
  throw problem(`${path.basename(file)} did not exist yet at ${since} (commit ${commit.slice(0, 7)})`, { file, hint: 'Give a later revision, or a `version` the file has had.' });
}

/** Writes `folder` (a path in the repository, `.` for all) as it was at `commit` into `into`. */
export async function checkOut(root: string, commit: string, folder: string, into: string): Promise<void> {
  const child = spawn('git', ['archive', '--format=tar', commit, '--', folder], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const unpack = extract();
  const written: Promise<void>[] = [];
  unpack.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => chunks.push(chunk as Buffer));
    stream.on('end', () => {
      const target = path.join(into, header.name);
      // Only plain files, and only inside `into` (a name with `..` in an archive is never followed).
      if (header.type === 'file' && target.startsWith(into + path.sep)) {
        written.push(mkdir(path.dirname(target), { recursive: true }).then(() => writeFile(target, Buffer.concat(chunks))));
      }
      next();
    });
    stream.resume();
  });
  const finished = new Promise<void>((resolve, reject) => {
    unpack.on('finish', resolve);
    unpack.on('error', reject);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`git archive exited with ${code}`));
    });
  });
  child.stdout.pipe(unpack);
  await finished;
  await Promise.all(written);
}
