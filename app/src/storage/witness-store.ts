import {
  alertsOverCapacity,
  exposedTokens,
  MAX_HELD_ALERTS,
  newAlerts,
  witnessTokenExpiry,
  type AlertBook,
  type TokenVault,
  type WitnessAlert,
  type WitnessToken,
} from '@ihyid/shared';
import Dexie from 'dexie';
import type { Exposure, WitnessDb } from './witness-db';

/**
 * The witness data on this device, behind the interfaces the shared protocol code asks for
 * (TokenVault, AlertBook). Time is passed in, so tests replay exactly.
 */
export class WitnessStore {
  constructor(
    private readonly db: WitnessDb,
    private readonly now: () => Date,
    private readonly deletionHourUtc = 3,
  ) {}

  /** W3: add is atomic (a primary key), so two exchanges can never store one token twice. */
  readonly vault: TokenVault = {
    has: async (token) => (await this.db.ownTokens.get(this.db.idOf('ownTokens', token))) !== undefined,
    add: async (token) => {
      const now = this.now();
      try {
        await this.db.ownTokens.add({ id: this.db.idOf('ownTokens', token), token, expiresAt: witnessTokenExpiry(now, this.deletionHourUtc).getTime(), day: localDay(now) });
        return true;
      } catch (error) {
        if (error instanceof Dexie.ConstraintError) return false;
        throw error;
      }
    },
  };

  /** The book the peer protocol passes alerts through; `onExposure` hears of new exposures (W6). */
  alertBook(onExposure: (found: Exposure[]) => void): AlertBook {
    return {
      list: () => this.heldAlerts(),
      receive: async (alerts) => {
        const found = await this.receiveAlerts(alerts);
        if (found.length > 0) onExposure(found);
      },
    };
  }

  async heldAlerts(): Promise<WitnessAlert[]> {
    const rows = await this.db.heldAlerts.where('expiresAt').above(this.now().getTime()).toArray();
    return rows.map(({ token, expiresAt }) => ({ token: token as WitnessToken, expiresAt }));
  }

  /**
   * W5, W6: keeps the acceptable new alerts, compares them with our own tokens on this device, and for
   * each match records an exposure for the meeting's day and deletes the token, in one transaction.
   */
  async receiveAlerts(received: readonly WitnessAlert[]): Promise<Exposure[]> {
    const now = this.now().getTime();
    const { db } = this;
    return db.transaction('rw', db.ownTokens, db.heldAlerts, db.exposureDays, async () => {
      const held = new Set((await db.heldAlerts.bulkGet(received.map((a) => db.idOf('heldAlerts', a.token)))).flatMap((row) => (row ? [row.token] : [])));
      const fresh = newAlerts(received, held, now);
      if (fresh.length === 0) return [];
      await db.heldAlerts.bulkPut(fresh.map(({ token, expiresAt }) => ({ id: db.idOf('heldAlerts', token), token, expiresAt })));
      const own = (await db.ownTokens.bulkGet(fresh.map((a) => db.idOf('ownTokens', a.token)))).flatMap((row) => (row ? [row] : []));
      const matched = new Set<string>(exposedTokens(own.map((row) => row.token as WitnessToken), fresh));
      const gone = own.filter((row) => matched.has(row.token));
      await db.ownTokens.bulkDelete(gone.map((row) => row.id));
      const found = [...new Set(gone.map((row) => row.day))].sort().map((day) => ({ id: db.idOf('exposureDays', day), day }));
      if (found.length > 0) await db.exposureDays.bulkPut(found);
      await this.trimAlerts();
      return found;
    });
  }

  /** W4: expired tokens and alerts go, at start and every hour. A held token's expiry is sealed (X2): the tokens are read whole, as few as a fortnight's meetings. */
  async sweep(): Promise<number> {
    const now = this.now().getTime();
    const { db } = this;
    return db.transaction('rw', db.ownTokens, db.heldAlerts, async () => {
      const expired = (await db.ownTokens.toArray()).filter((row) => row.expiresAt <= now).map((row) => row.id);
      await db.ownTokens.bulkDelete(expired);
      const alerts = await db.heldAlerts.where('expiresAt').belowOrEqual(now).delete();
      return expired.length + alerts;
    });
  }

  /** What a declaration sends (W5): every unexpired token with its expiry, and nothing about the meeting. */
  async tokensToDeclare(): Promise<WitnessAlert[]> {
    const now = this.now().getTime();
    const rows = await this.db.ownTokens.toArray();
    return rows.filter((row) => row.expiresAt > now).map(({ token, expiresAt }) => ({ token: token as WitnessToken, expiresAt }));
  }

  /** Once the server has acknowledged a declaration, its tokens leave this device at once (W5). */
  async deleteTokens(tokens: readonly string[]): Promise<void> {
    await this.db.ownTokens.bulkDelete(tokens.map((token) => this.db.idOf('ownTokens', token)));
  }

  async exposures(): Promise<Exposure[]> {
    return (await this.db.exposureDays.toArray()).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  }

  async dismissExposure(id: string): Promise<void> {
    await this.db.exposureDays.delete(id);
  }

  async counts(): Promise<{ tokens: number; alerts: number }> {
    const [tokens, alerts] = await Promise.all([this.db.ownTokens.count(), this.db.heldAlerts.count()]);
    return { tokens, alerts };
  }

  private async trimAlerts(): Promise<void> {
    const count = await this.db.heldAlerts.count();
    if (count <= MAX_HELD_ALERTS) return;
    const all = (await this.db.heldAlerts.toArray()).map(({ token, expiresAt }) => ({ token: token as WitnessToken, expiresAt }));
    await this.db.heldAlerts.bulkDelete(alertsOverCapacity(all).map((a) => this.db.idOf('heldAlerts', a.token)));
  }
}

/** The local calendar day, as the person remembers it. */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}
