import { type DestinationStream, type Logger, pino } from 'pino';
import type { Config } from '../config/index.js';
import { requestContext } from './request-context.js';

export type { Logger };

/** Never logged, wherever they appear in a logged object. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.refresh_token',
  '*.access_token',
  '*.secret',
  '*.clientSecret',
  '*.databaseUrl',
  '*.connectionString',
];

/**
 * JSON lines outside local, pretty in local. Every line written inside a request carries its requestId.
 * Tests pass their own destination to read what was logged.
 */
export function createLogger(
  cfg: Pick<Config, 'log' | 'tier' | 'version'>,
  destination?: DestinationStream,
): Logger {
  const options = {
    level: cfg.log.level,
    base: { tier: cfg.tier, version: cfg.version },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    mixin: () => {
      const context = requestContext.getStore();
      return context ? { requestId: context.requestId } : {};
    },
  };
  if (destination) return pino(options, destination);
  if (cfg.log.format === 'pretty') {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, singleLine: true, ignore: 'pid,hostname,tier,version' },
      },
    });
  }
  return pino(options, pino.destination({ sync: false }));
}
