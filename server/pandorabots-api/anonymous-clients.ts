import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../../node-lib/atomic-write.js';

/**
 * atalk's anonymous clients: `aiaas-<app_id>-user-<nnnn>`, numbered from 0000 per app, as Pandorabots names
 * them. Only the next number is stored: a name is known exactly when its number is below it.
 */
export class AnonymousClients {
  private next: number;
  private readonly path: string;
  private readonly prefix: string;

  constructor(dataDir: string, appId: string) {
    this.path = join(dataDir, 'api-anonymous-clients.json');
    this.prefix = `aiaas-${appId.toLowerCase()}-user-`;
    this.next = this.load();
  }

  get count(): number {
    return this.next;
  }

  /** Create the next client name (saved before it is handed out, so no name is ever given twice). */
  create(): string {
    const n = this.next;
    this.next = n + 1;
    writeFileAtomicSync(this.path, `${JSON.stringify({ next: this.next })}\n`);
    return this.nameOf(n);
  }

  /** Whether atalk created this name (its predicates persist indefinitely). */
  isKnown(name: string): boolean {
    if (!name.startsWith(this.prefix)) return false;
    const digits = name.slice(this.prefix.length);
    if (!/^\d{4,}$/.test(digits)) return false;
    const n = Number(digits);
    return n < this.next && this.nameOf(n) === name;
  }

  private nameOf(n: number): string {
    return `${this.prefix}${String(n).padStart(4, '0')}`;
  }

  private load(): number {
    if (!existsSync(this.path)) return 0;
    try {
      const value = (JSON.parse(readFileSync(this.path, 'utf8')) as { next?: unknown }).next;
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
    } catch {
      return 0;
    }
  }
}
