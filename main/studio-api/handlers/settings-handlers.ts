import { settingsView } from '../../settings/schema.js';
import type { Settings } from '../../settings/settings.js';
import type { StudioHandlers } from '../dispatcher.js';

/** The Studio API's own settings: notifications and the designer's name. */
export function settingsHandlers(settings: Settings): Pick<StudioHandlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': () => settingsView(settings.get()),
    'settings.update': ({ notifications, designerName }) => {
      const next = settings.update((s) => ({
        ...s,
        notifications: { ...s.notifications, ...notifications },
        designerName: designerName === undefined ? s.designerName : designerName.trim() || undefined,
      }));
      return settingsView(next);
    },
  };
}
