/**
 * vitest global setup: before any test file runs, EPUBCheck is installed when missing and its service
 * started (epubcheck-service.ts), and the fixtures that several files read are built once each, into
 * temporary folders, with one browser, at fixed times. A file reads a build's outputs with
 * `sharedBuild(name)`; what it builds itself, it builds in its own folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';
import type { Format } from '../../scripts/base/formats.js';
import { PROJECT_ROOT } from '../../scripts/base/project-root.js';
import { SharedBrowser } from '../../scripts/browser/shared-browser.js';
import { provideEpubcheckService } from './epubcheck-service.js';
import { buildInProcess } from './in-process-build.js';

/** SOURCE_DATE_EPOCH's 1700000000: 14 November 2023. */
export const BUILD_TIME = new Date(1_700_000_000_000);
export const TORTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'torture');
const fixture = (name: string) => path.join(PROJECT_ROOT, 'test', 'fixtures', name);

const SHARED_BUILDS = {
  /** The real article (manuscript/). */
  article: { input: path.join(PROJECT_ROOT, 'manuscript'), formats: ['pdf', 'epub', 'web'], buildTime: BUILD_TIME },
  /** The torture-test book: every construct the outputs must carry. */
  torture: { input: TORTURE, formats: ['pdf', 'epub', 'web'], buildTime: BUILD_TIME },
  /** A clinic's leaflet, built on a day before any of its review dates. */
  leaflet: { input: fixture('leaflet/heel-pain.md'), formats: ['pdf', 'epub'], buildTime: new Date('2024-06-01T12:00:00Z') },
  /** A handout with all the print furniture. */
  handout: { input: fixture('handout/handout.md'), formats: ['pdf'], buildTime: BUILD_TIME },
  /** Links between and inside manuscript files. */
  links: { input: fixture('links'), formats: ['pdf', 'epub'], buildTime: BUILD_TIME },
  /** An article that builds with warnings (an image without alt text among them). */
  warnings: { input: fixture('warnings/article.md'), formats: ['pdf', 'epub'], buildTime: BUILD_TIME },
} satisfies Record<string, { input: string; formats: Format[]; buildTime: Date }>;

export type SharedBuildName = keyof typeof SHARED_BUILDS;

export interface SharedBuild {
  outDir: string;
  /** Every file written, the download page included. */
  files: string[];
  /** Its warnings, as the command line prints each (in-process-build.ts). */
  report: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sharedBuilds: Record<SharedBuildName, SharedBuild>;
  }
}

/** The outputs of a fixture built once for the run (in a test file, not in the setup). */
export const sharedBuild = (name: SharedBuildName): SharedBuild => inject('sharedBuilds')[name];

export default async function setup(project: TestProject) {
  // Before anything is built: a missing EPUBCheck is installed now, or stops the run at once with what to do.
  const service = provideEpubcheckService(project, { smallEpubs: true });
  const browser = new SharedBrowser();
  const buildOne = async ([name, { input, formats, buildTime }]: [string, (typeof SHARED_BUILDS)[SharedBuildName]]) => {
    const outDir = await mkdtemp(path.join(os.tmpdir(), `press-shared-${name}-`));
    const { files, report } = await buildInProcess({ input, outDir, formats, buildTime, browser });
    return [name, { outDir, files, report }] as const;
  };
  try {
    // The service's JVM starts while the fixtures build.
    const [stopService, built] = await Promise.all([service, Promise.all(Object.entries(SHARED_BUILDS).map(buildOne))]);
    project.provide('sharedBuilds', Object.fromEntries(built) as Record<SharedBuildName, SharedBuild>);
    return async () => {
      await stopService();
      await Promise.all(built.map(([, { outDir }]) => rm(outDir, { recursive: true, force: true })));
    };
  } finally {
    await browser.close();
  }
}
