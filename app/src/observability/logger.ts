import { isSpanContextValid, context as otelContext, trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, pino, stdSerializers } from 'pino';
import type { Config } from '../config/index.js';
import { requestContext } from './request-context.js';
import { scrubSecrets } from './scrub-secrets.js';

export type { Logger };

/** Never logged, wherever they appear in a logged object. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-vault-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.authorization',
  '*.cookie',
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
  '*.jwt',
  '*.privateKey',
  '*.signingKeys',
  '*.clientToken',
  '*.client_token',
  '*.vaultToken',
  '*.secrets',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
];

/**
 * The active span's ids, named as OpenTelemetry's log data model names them, so a log line leads to its trace.
 * Empty when no SDK runs (the API then has no active span).
 */
function addTraceFields(fields: Record<string, string>): void {
  const span = trace.getSpan(otelContext.active())?.spanContext();
  if (!span || !isSpanContextValid(span)) return;
  fields.trace_id = span.traceId;
  fields.span_id = span.spanId;
  fields.trace_flags = `0${span.traceFlags.toString(16)}`;
}

/** Errors keep their type and stack, with any secret quoted in their text cut out. */
function errSerializer(error: Error) {
  const serialized = stdSerializers.err(error);
  if (typeof serialized.message === 'string') serialized.message = scrubSecrets(serialized.message);
  if (typeof serialized.stack === 'string') serialized.stack = scrubSecrets(serialized.stack);
  return serialized;
}

/**
 * JSON lines outside local, pretty in local. Every line written inside a request carries its requestId and,
 * when the telemetry bootstrap runs, the `trace_id` and `span_id` of the active span. Tests pass their own
 * destination to read what was logged.
 */
export function createLogger(
  cfg: Pick<Config, 'log' | 'tier' | 'version'>,
  destination?: DestinationStream,
): Logger {
  const options = {
    level: cfg.log.level,
    base: { tier: cfg.tier, version: cfg.version },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { err: errSerializer, error: errSerializer },
    hooks: {
      // Messages are free text: a secret interpolated into one has no field name to be redacted by.
      logMethod(this: Logger, args: Parameters<Logger['info']>, method: Logger['info']) {
        for (let i = 0; i < args.length; i += 1) {
          const arg = args[i];
          if (typeof arg === 'string') (args as unknown[])[i] = scrubSecrets(arg);
        }
        return method.apply(this, args);
      },
    },
    // Runs for every line written: one small object, no spreading.
    mixin: () => {
      const fields: Record<string, string> = {};
      const request = requestContext.getStore();
      if (request) fields.requestId = request.requestId;
      addTraceFields(fields);
      return fields;
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
  return pino(options, pino.destination(batchedStdout));
}

/**
 * Lines leave stdout in batches of about 4 KB: one write for ten or so request lines instead of one each, which
 * was close to 30 % of a cached read's CPU under load (docs/performance.md). A line waits at most 250 ms when
 * traffic is light, and pino writes what is still buffered when the process exits, process.exit included.
 */
const batchedStdout = { dest: 1, sync: false, minLength: 4096, periodicFlush: 250 };
