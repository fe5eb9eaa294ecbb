import type { AppState } from '../../../protocol/studio-api.js';
import type { StudioHandlers } from '../dispatcher.js';

export interface AppDeps {
  state: () => AppState;
  setFocused: (focused: boolean) => void;
  /** Designer input in the app: reported to the Platform; says whether the last report failed. */
  activity: () => { platformReportFailed?: true };
}

/** The Studio API's app-wide methods: the app state, window focus, and the designer's activity. */
export function appHandlers(d: AppDeps): Pick<StudioHandlers, 'app.state' | 'app.focus' | 'activity.report'> {
  return {
    'app.state': () => d.state(),
    'app.focus': ({ focused }) => {
      d.setFocused(focused);
      return {};
    },
    'activity.report': () => d.activity(),
  };
}
