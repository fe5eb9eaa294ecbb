import { AppError } from '../../protocol/errors.js';
import type { BotWorkspace } from './bot-workspaces.js';
import { readLocalPlatformCredentials } from './local-credentials.js';
import { PandorabotsClient, type ApiCredentials } from './pandorabots-client.js';
import type { TrainingHost } from './training-host.js';

export type KnownCredentials = ApiCredentials & { source: 'local' | 'saved' };

export interface PlatformAccessOptions {
  host: () => TrainingHost | undefined;
  /** The data folder of Studio's own Platform (its API credentials are read there), when it runs one. */
  localPlatformDir?: () => string | undefined;
}

/**
 * How the workspace reaches the Platform's Pandorabots API: which credentials apply to the Platform Studio is
 * connected to (read from Studio's own Platform, or saved by the designer for a remote one), and a client with them.
 * Changes when the way Studio authenticates to a Platform changes.
 */
export class PlatformAccess {
  constructor(private readonly o: PlatformAccessOptions) {}

  async credentials(): Promise<KnownCredentials | undefined> {
    const host = this.o.host();
    const platform = host?.platform();
    if (!host || !platform) return undefined;
    if (platform.embedded) {
      const dir = this.o.localPlatformDir?.();
      const local = dir ? await readLocalPlatformCredentials(dir) : undefined;
      if (local) return { ...local, source: 'local' };
    }
    const saved = host.savedCredentials(platform.url);
    return saved ? { ...saved, source: 'saved' } : undefined;
  }

  async client(): Promise<PandorabotsClient> {
    const platform = this.o.host()?.platform();
    if (!platform) throw new AppError('unconfigured', 'Studio is not connected to a Platform yet.');
    const credentials = await this.credentials();
    if (!credentials) {
      throw new AppError('credentials_missing', "Publishing needs the Platform's app id and user key: enter them under Publishing in the Training view.");
    }
    return new PandorabotsClient(platform.url, credentials);
  }

  /** Saves a remote Platform's key; every bot's failed pull is forgotten so the view tries again with it. */
  setCredentials(credentials: ApiCredentials, bots: Iterable<BotWorkspace>): Record<string, never> {
    const host = this.o.host();
    const platform = host?.platform();
    if (!host || !platform) throw new AppError('unconfigured', 'Studio is not connected to a Platform yet.');
    if (platform.embedded) throw new AppError('invalid_params', "Studio's own Platform needs no key: Studio reads it itself.");
    host.saveCredentials(platform.url, credentials);
    for (const s of bots) {
      s.botFiles.forgetFailure();
      host.emit({ type: 'training.changed', bot: s.bot });
    }
    return {};
  }
}

