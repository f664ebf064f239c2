/**
 * vitest global setup: redis-server is there before any test file starts one (installed
 * once, not by each file at the same time).
 */
import { ensureRedisServer } from './redis.js';

export default async function setup() {
  await ensureRedisServer();
}
