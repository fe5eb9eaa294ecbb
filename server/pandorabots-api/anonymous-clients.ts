import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../../node-lib/atomic-write.js';

/** Where atalk's client names come from: this data folder's counter, or a cluster's (shared-anonymous-clients.ts). */
export interface AnonymousClientNames {
  /** The next name, saved before it is handed out; undefined when `max` names were created already. */
  createWithin(max: number): Promise<string | undefined>;
  /** Whether atalk created this name (its predicates persist indefinitely). */
  isKnown(name: string): boolean | Promise<boolean>;
}

/** The number in an atalk name made with `prefix` (`aiaas-<app>-user-`), or undefined when it is not one. */
export function anonymousNumber(prefix: string, name: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const digits = name.slice(prefix.length);
  if (!/^\d{4,}$/.test(digits)) return undefined;
  const n = Number(digits);
  return anonymousName(prefix, n) === name ? n : undefined;
}

export function anonymousName(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(4, '0')}`;
}

/**
 * atalk's anonymous clients: `aiaas-<app_id>-user-<nnnn>`, numbered from 0000 per app, as Pandorabots names
 * them. Only the next number is stored: a name is known exactly when its number is below it.
 */
export class AnonymousClients implements AnonymousClientNames {
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

  createWithin(max: number): Promise<string | undefined> {
    return Promise.resolve(this.next >= max ? undefined : this.create());
  }

  /** Whether atalk created this name (its predicates persist indefinitely). */
  isKnown(name: string): boolean {
    const n = anonymousNumber(this.prefix, name);
    return n !== undefined && n < this.next;
  }

  private nameOf(n: number): string {
    return anonymousName(this.prefix, n);
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
