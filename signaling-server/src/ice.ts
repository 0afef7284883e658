/**
 * S6: the ICE server list handed to each joiner. Static entries come from ICE_SERVERS; with TURN_URLS and
 * TURN_SECRET a time-limited credential is added per join, in coturn's REST API form
 * (`use-auth-secret`): username = "<expiry unix seconds>:ihyid", credential = base64 HMAC-SHA1(secret, username).
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '@ihyid/shared';
import type { TurnConfig } from './config.js';

export function createIceServerSource(
  staticServers: readonly IceServer[],
  turn: TurnConfig | null,
  now: () => number,
): () => IceServer[] {
  return () => {
    const servers = staticServers.map((server) => ({ ...server }));
    if (turn !== null) servers.push(turnCredential(turn, now()));
    return servers;
  };
}

export function turnCredential(turn: TurnConfig, nowMs: number): IceServer {
  const username = `${Math.floor(nowMs / 1000) + turn.ttlSeconds}:ihyid`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  return { urls: [...turn.urls], username, credential };
}
