import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../protocol/clock.js';
import type { DesignerRow, Storage } from '../storage/storage.js';

export interface NewDesigner {
  id: string;
  name: string;
  /** Shown once: only its hash is stored. */
  token: string;
}

/**
 * Tokens are 256 random bits, so a plain SHA-256 is enough to store them: there is nothing to brute-force that a slow
 * password hash would protect, and the lookup on every connection stays one indexed read.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class DesignerAccounts {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly randomToken: () => string = () => `ltd_${randomBytes(32).toString('base64url')}`,
  ) {}

  /** A designer account with a display name (designers see it; end users never do). */
  async create(name: string): Promise<NewDesigner> {
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 80) throw new Error('a designer name is 1-80 characters');
    const token = this.randomToken();
    const id = `d_${randomBytes(9).toString('base64url')}`;
    // Durable before the token is handed out: Studio connects with it right away.
    await this.storage.transaction((tx) => tx.insertDesigner({ id, name: trimmed, tokenHash: hashToken(token), createdAt: this.clock.now(), lastActivityAt: null }), { durable: true });
    return { id, name: trimmed, token };
  }

  async authenticate(token: string): Promise<DesignerRow | undefined> {
    if (!token || token.length > 500) return undefined;
    return this.storage.designerByTokenHash(hashToken(token));
  }

  list(): Promise<DesignerRow[]> {
    return this.storage.designers();
  }
}
