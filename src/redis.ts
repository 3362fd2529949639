import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The one Redis client of a process, shared by the rate limiter, the response
 * cache and persisted queries so that several instances share their state.
 * Every key gets one prefix, so a shared Redis can hold other things too.
 */
export function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    keyPrefix: 'crisis-kb:',
    lazyConnect: true,
    // While Redis is away, commands fail at once (requests go uncached, rate limits count in memory) rather than wait for it.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  // One line when it goes away and one when it is back, not one per reconnection attempt.
  let down = false;
  redis.on('error', (error) => {
    if (!down) logger.warn({ err: error.message }, 'redis unavailable: caches are skipped and rate limits counted per instance until it is back');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info('redis is back');
    down = false;
  });
  // Not awaited: like the database, Redis may come up after the server; ioredis keeps reconnecting.
  redis.connect().catch(() => {});
  return redis;
}
