import type { OrgFingerprint } from '@ihyid/shared';
import { closeDeadRooms } from './close-rooms';
import { PartnerConnection, type PartnerConnectionDeps, type PartnerConnectionOptions } from './connection';

/** One bound partner (I9), listed once under its name, with the one connection that meets it. */
export interface PartnerEntry {
  readonly fingerprint: OrgFingerprint;
  readonly name: string;
  readonly connection: PartnerConnection;
}

export interface DirectoryView {
  /** The connection for the next invitation, made or opened here; once it binds, it moves to `partners`. */
  readonly invite: PartnerConnection;
  /** Bound partners, by name. */
  readonly partners: readonly PartnerEntry[];
}

/**
 * #12: every partner this organisation is bound to, each with its own connection that meets it again
 * by itself, under the pair secret (I9): at start, after a reload on either side, after the server
 * restarts. A plain class with a snapshot, rendered through useSyncExternalStore.
 */
export class PartnerDirectory {
  private view: DirectoryView;
  private readonly listeners = new Set<() => void>();
  private started: Promise<void> | null = null;
  /** I9: the closes owed for used or revoked links, one round at a time (close-rooms.ts). */
  private closing: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly deps: PartnerConnectionDeps,
    private readonly orgName: string,
    private readonly options: Omit<PartnerConnectionOptions, 'onBound'> = {},
  ) {
    this.view = { invite: this.connection(), partners: [] };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): DirectoryView => this.view;

  /** Every live connection: the invitation's and each partner's. */
  connections(): PartnerConnection[] {
    return [this.view.invite, ...this.view.partners.map((p) => p.connection)];
  }

  /** Loads the bound partners and starts meeting each; once, however often it is called. */
  start(): Promise<void> {
    return (this.started ??= this.load());
  }

  /**
   * An invitation link opened on this device. A partner already bound is met under the pair secret
   * through its own entry, never the link again (I9); anyone else through the invitation connection.
   */
  async openLink(secret: string, expected: OrgFingerprint | null, expiresAt: Date | null): Promise<void> {
    await this.start();
    const entry = expected ? this.entry(expected) : undefined;
    if (!entry) return this.view.invite.open(secret, expected, expiresAt);
    const status = entry.connection.snapshot().status;
    if (status === 'idle' || status === 'closed' || status === 'retrying') entry.connection.reconnect();
  }

  /** The network came back: every connection waiting to try again tries now, and owed closes go. */
  retryAll(): void {
    for (const c of this.connections()) c.retryNow();
    void this.closeRooms();
  }

  /**
   * I9: sends the `close-room` each used or revoked invitation still owes (close-rooms.ts): after a
   * revoke, at start and when the network comes back (a bind closes its room through its own
   * connection, connection.ts). Resolves with how many it closed.
   */
  closeRooms(): Promise<number> {
    this.closing = this.closing.then(() => closeDeadRooms(this.deps)).catch(() => 0);
    return this.closing;
  }

  leaveAll(): void {
    for (const c of this.connections()) c.leave();
  }

  private async load(): Promise<void> {
    void this.closeRooms();
    const bonds = await this.deps.stores.invitations.bonds();
    for (const bond of bonds) {
      if (this.entry(bond.fingerprint)) continue;
      const connection = this.connection();
      this.add({ fingerprint: bond.fingerprint as OrgFingerprint, name: bond.name, connection });
      void connection.open(bond.pairSecret, bond.fingerprint as OrgFingerprint);
    }
  }

  private connection(): PartnerConnection {
    const connection: PartnerConnection = new PartnerConnection(this.deps, this.orgName, { ...this.options, onBound: (partner) => this.bound(connection, partner) });
    return connection;
  }

  /** An invitation bound a partner: its connection is that partner's from now on; a new one invites. */
  private bound(connection: PartnerConnection, partner: { fingerprint: OrgFingerprint; name: string }): void {
    const old = this.entry(partner.fingerprint);
    if (old && old.connection !== connection) old.connection.leave();
    const partners = this.view.partners.filter((p) => p.fingerprint !== partner.fingerprint);
    this.view = { invite: connection === this.view.invite ? this.connection() : this.view.invite, partners };
    this.add({ ...partner, connection });
  }

  private add(entry: PartnerEntry): void {
    const partners = [...this.view.partners, entry].sort((x, y) => x.name.localeCompare(y.name));
    this.view = { ...this.view, partners };
    for (const l of this.listeners) l();
  }

  private entry(fingerprint: string): PartnerEntry | undefined {
    return this.view.partners.find((p) => p.fingerprint === fingerprint);
  }
}
