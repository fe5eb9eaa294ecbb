import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Clock } from '../../../protocol/clock.js';
import type { StudioClient } from '../client/studio-client.js';
import type { ConversationJournal } from '../data/conversation-journal.js';

export interface StudioServices {
  client: StudioClient;
  /** Every "now" in the UI comes from here, so tests can move time (relative times, countdowns, needs-help). */
  clock: Clock;
  journal: ConversationJournal;
}

const StudioContext = createContext<StudioServices | undefined>(undefined);

export function StudioServicesProvider({ services, children }: { services: StudioServices; children: ReactNode }) {
  return <StudioContext.Provider value={services}>{children}</StudioContext.Provider>;
}

export function useStudio(): StudioServices {
  const services = useContext(StudioContext);
  if (!services) throw new Error('useStudio() needs a <StudioServicesProvider> above it.');
  return services;
}

/** The current time, refreshed every `periodMs` on the injected clock. */
export function useNow(periodMs: number): number {
  const { clock } = useStudio();
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    let handle = clock.setTimeout(function tick() {
      setNow(clock.now());
      handle = clock.setTimeout(tick, periodMs);
    }, periodMs);
    return () => clock.clearTimeout(handle);
  }, [clock, periodMs]);
  return now;
}
