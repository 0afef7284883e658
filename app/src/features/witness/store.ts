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
import type { Exposure, WitnessDb } from './db';

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
    has: async (token) => (await this.db.tokens.get(token)) !== undefined,
    add: async (token) => {
      const now = this.now();
      try {
        await this.db.tokens.add({ token, expiresAt: witnessTokenExpiry(now, this.deletionHourUtc).getTime(), day: localDay(now) });
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
    const rows = await this.db.alerts.where('expiresAt').above(this.now().getTime()).toArray();
    return rows as WitnessAlert[];
  }

  /**
   * W5, W6: keeps the acceptable new alerts, compares them with our own tokens on this device, and for
   * each match records an exposure for the meeting's day and deletes the token, in one transaction.
   */
  async receiveAlerts(received: readonly WitnessAlert[]): Promise<Exposure[]> {
    const now = this.now().getTime();
    return this.db.transaction('rw', this.db.tokens, this.db.alerts, this.db.exposures, async () => {
      const held = new Set((await this.db.alerts.bulkGet(received.map((a) => a.token))).flatMap((row) => (row ? [row.token] : [])));
      const fresh = newAlerts(received, held, now);
      if (fresh.length === 0) return [];
      await this.db.alerts.bulkPut(fresh.map(({ token, expiresAt }) => ({ token, expiresAt })));
      const own = await this.db.tokens.bulkGet(fresh.map((a) => a.token));
      const matched = exposedTokens(
        own.flatMap((row) => (row ? [row.token as WitnessToken] : [])),
        fresh,
      );
      const days = new Set(own.flatMap((row) => (row && matched.includes(row.token as WitnessToken) ? [row.day] : [])));
      await this.db.tokens.bulkDelete(matched);
      const found = [...days].sort().map((day) => ({ day }));
      if (found.length > 0) await this.db.exposures.bulkAdd(found);
      await this.trimAlerts();
      return found;
    });
  }

  /** W4: expired tokens and alerts go, at start and every hour. */
  async sweep(): Promise<number> {
    const now = this.now().getTime();
    return this.db.transaction('rw', this.db.tokens, this.db.alerts, async () => {
      const tokens = await this.db.tokens.where('expiresAt').belowOrEqual(now).delete();
      const alerts = await this.db.alerts.where('expiresAt').belowOrEqual(now).delete();
      return tokens + alerts;
    });
  }

  /** What a declaration sends (W5): every unexpired token with its expiry, and nothing about the meeting. */
  async tokensToDeclare(): Promise<WitnessAlert[]> {
    const rows = await this.db.tokens.where('expiresAt').above(this.now().getTime()).toArray();
    return rows.map(({ token, expiresAt }) => ({ token: token as WitnessToken, expiresAt }));
  }

  /** Once the server has acknowledged a declaration, its tokens leave this device at once (W5). */
  async deleteTokens(tokens: readonly string[]): Promise<void> {
    await this.db.tokens.bulkDelete([...tokens]);
  }

  async exposures(): Promise<Exposure[]> {
    return this.db.exposures.toArray();
  }

  async dismissExposure(id: number): Promise<void> {
    await this.db.exposures.delete(id);
  }

  async counts(): Promise<{ tokens: number; alerts: number }> {
    const [tokens, alerts] = await Promise.all([this.db.tokens.count(), this.db.alerts.count()]);
    return { tokens, alerts };
  }

  private async trimAlerts(): Promise<void> {
    const count = await this.db.alerts.count();
    if (count <= MAX_HELD_ALERTS) return;
    const all = (await this.db.alerts.toArray()) as WitnessAlert[];
    await this.db.alerts.bulkDelete(alertsOverCapacity(all).map((a) => a.token));
  }
}

/** The local calendar day, as the person remembers it. */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}
