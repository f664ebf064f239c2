/**
 * The project folder: the nearest package.json above this module outside node_modules, so that
 * it is found from scripts/ as from the bundle scripts/launch.mjs runs from the cache. A module of
 * its own, imported by modules that render/template.ts imports in turn (scripts/messages.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = projectRoot(path.dirname(fileURLToPath(import.meta.url)));
/** The HTML and package templates, and the fixed texts in each language. */
export const TEMPLATES = path.join(PROJECT_ROOT, 'templates');
/** The stylesheets: shared, paged media, editions, scripts. */
export const STYLES = path.join(PROJECT_ROOT, 'styles');

function projectRoot(folder: string): string {
  const insideModules = folder.split(path.sep).includes('node_modules');
  if (!insideModules && existsSync(path.join(folder, 'package.json'))) return folder + path.sep;
  const parent = path.dirname(folder);
  if (parent === folder) throw new Error('massage-press: no package.json above the scripts folder');
  return projectRoot(parent);
}
