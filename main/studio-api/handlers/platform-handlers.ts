import type { LiveTrainingSettings } from '../../../protocol/bot-settings.js';
import type { AppState } from '../../../protocol/studio-api.js';
import type { PlatformLink } from '../../platform-link/link.js';
import type { Settings } from '../../settings/settings.js';
import { AppError } from '../../../protocol/errors.js';
import type { StudioHandlers } from '../dispatcher.js';

export interface PlatformDeps {
  settings: Settings;
  /** Connects anew with the saved choice of Platform. */
  connect: () => Promise<void>;
  state: () => AppState;
  requireLink: () => PlatformLink;
  /** One of the designer's own actions counts as activity. */
  activity: () => void;
  /** A bot's Live Training settings changed on the Platform. */
  botSettingsChanged: (bot: string, settings: LiveTrainingSettings) => void;
}

/** The Studio API's choice of Platform, and the settings of its bots that live on the Platform. */
export function platformHandlers(d: PlatformDeps): Pick<StudioHandlers, 'platform.configure' | 'bot.settings.update'> {
  return {
    'platform.configure': async (args) => {
      if (args.embedded) {
        d.settings.update({ embedded: true });
      } else {
        const url = new URL(args.url);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          throw new AppError('invalid_params', 'The Platform URL must start with http:// or https://.');
        }
        d.settings.update({ embedded: false, platformUrl: url.toString().replace(/\/$/, ''), token: args.token });
      }
      await d.connect();
      return d.state();
    },
    'bot.settings.update': async ({ bot, patch }) => {
      d.activity();
      const result = await d.requireLink().request('bot.updateSettings', { bot, patch });
      d.botSettingsChanged(bot, result.settings);
      return { settings: result.settings };
    },
  };
}
