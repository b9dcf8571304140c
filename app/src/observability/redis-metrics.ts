import type { Redis } from 'ioredis';
import type { Metrics } from './metrics.js';

type SendCommand = Redis['sendCommand'];
type Command = Parameters<SendCommand>[0];

// ioredis announces itself with CLIENT SETINFO on connect and ignores the refusal of servers before 7.2.
const isBestEffort = (command: Command) =>
  command.name === 'client' && String(command.args[0]).toUpperCase() === 'SETINFO';

/**
 * Counts Redis failures: the connection's error events, and every command that fails or times out (the
 * client has no offline queue, so a down Redis fails commands at once and each one is counted).
 */
export function observeRedis(redis: Redis, metrics: Pick<Metrics, 'recordRedisError'>): void {
  redis.on('error', () => metrics.recordRedisError('connection'));
  const send: SendCommand = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: Command, stream?: Parameters<SendCommand>[1]) => {
    const sent = send(command, stream);
    if (!isBestEffort(command)) command.promise.catch(() => metrics.recordRedisError('command'));
    return sent;
  }) as SendCommand;
}
