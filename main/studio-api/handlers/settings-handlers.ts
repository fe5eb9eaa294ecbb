import { settingsView } from '../../settings/schema.js';
import type { Settings } from '../../settings/settings.js';
import type { StudioHandlers } from '../dispatcher.js';

/** The Studio API's own settings: notifications, the designer's name, and whether captures keep `<that>`. */
export function settingsHandlers(settings: Settings): Pick<StudioHandlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': () => settingsView(settings.get()),
    'settings.update': ({ notifications, designerName, captureThat }) => {
      const next = settings.update((s) => ({
        ...s,
        notifications: { ...s.notifications, ...notifications },
        designerName: designerName === undefined ? s.designerName : designerName.trim() || undefined,
        captureThat: captureThat ?? s.captureThat,
      }));
      return settingsView(next);
    },
  };
}
