/**
 * S2: structured JSON lines to stdout, one per event. The field type admits only the few things a line
 * may carry (counts, codes, event names, the listening address), so a payload, a room id or a peer id
 * cannot be logged by accident.
 */
import type { SignalingClientEvent, SignalingErrorCode } from '@ihyid/shared';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogFields {
  readonly code?: SignalingErrorCode | 'start-failed' | 'static-dir-missing';
  /** The client event a line is about; never a client-supplied string. */
  readonly on?: SignalingClientEvent | 'unknown' | 'connection' | 'http';
  readonly url?: string;
  readonly port?: number;
  readonly signal?: 'SIGTERM' | 'SIGINT';
  /** How rooms are held: in this process alone, or shared with other processes through Redis. */
  readonly rooms_in?: 'process' | 'redis';
  /** Constructor name of an unexpected exception (TypeError...); the message may quote data, so it is left out. */
  readonly error?: string;
  readonly connections?: number;
  readonly rooms?: number;
  readonly members?: number;
  readonly count?: number;
  readonly ms?: number;
}

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  now: () => Date = () => new Date(),
): Logger {
  const at =
    (lineLevel: Exclude<LogLevel, 'silent'>) =>
    (event: string, fields: LogFields = {}): void => {
      if (RANK[lineLevel] < RANK[level]) return;
      try {
        write(JSON.stringify({ time: now().toISOString(), level: lineLevel, event, ...fields }));
      } catch {
        // A closed stdout must not take the relay down with it.
      }
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = createLogger('silent', () => {});

/** The class of an unexpected exception, safe to log. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
