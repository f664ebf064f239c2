/**
 * vitest global setup: redis-server is there before any test file starts one (installed
 * once, not by each file at the same time).
 */
import { REDIS } from '../../scripts/dev-tools/redis-server.js';
import { ensureSystemPackage } from '../../scripts/dev-tools/system-packages.js';

export default function setup() {
  ensureSystemPackage(REDIS);
}
