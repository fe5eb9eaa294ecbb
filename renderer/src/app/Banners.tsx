import type { AppState } from '../../../protocol/studio-api.js';
import type { TransportStatus } from '../client/studio-client.js';
import { useNow } from './studio-context.js';

function secondsUntil(at: number, now: number): string {
  const s = Math.max(0, Math.ceil((at - now) / 1000));
  return s <= 0 ? 'now' : `in ${s} s`;
}

/**
 * What is wrong with the connections, in words, at the top of the window: Studio's own host (browser mode),
 * then the Platform link. Nothing shows while all is well.
 */
export function Banners({ transport, link, onChangePlatform }: { transport: TransportStatus; link: AppState['link'] | undefined; onChangePlatform: () => void }) {
  const now = useNow(1_000);
  if (transport.state === 'reconnecting') {
    return (
      <div className="banner banner-error" role="alert">
        Studio lost the connection to its background service. Reconnecting {secondsUntil(transport.retryAt, now)}…
      </div>
    );
  }
  if (!link) return null;
  const where = link.embedded ? 'the local Platform' : `the Platform${link.platformUrl ? ` at ${link.platformUrl}` : ''}`;
  switch (link.status) {
    case 'reconnecting':
      return (
        <div className="banner banner-warning" role="alert">
          Lost the connection to {where}
          {link.lastError ? ` (${link.lastError})` : ''}. Reconnecting {link.retryAt !== undefined ? secondsUntil(link.retryAt, now) : 'soon'}… Messages
          sent meanwhile are delivered once it is back.
        </div>
      );
    case 'unauthorized':
      return (
        <div className="banner banner-error" role="alert">
          <span>
            {/* The reason (HTTP 401 or 403) says nothing more than these words. */}
            {where.charAt(0).toUpperCase() + where.slice(1)} refused Studio's designer token. Enter a valid token to connect again.
          </span>
          <button type="button" onClick={onChangePlatform}>
            Change token
          </button>
        </div>
      );
    case 'connecting':
      return (
        <div className="banner banner-info" role="status">
          Connecting to {where}…
        </div>
      );
    case 'online':
    case 'unconfigured':
      // Nothing to warn about while online; an unconfigured Studio shows the Platform chooser instead.
      return null;
  }
}

/**
 * Activity reports keep this designer's hold on paused conversations alive; when they keep failing, the designer
 * must know that inactivity may hand those conversations back to the bot although they are at work.
 */
export function ActivityReportsBanner({ failing }: { failing: boolean }) {
  if (!failing) return null;
  return (
    <div className="banner banner-warning" role="alert">
      Studio cannot report your activity to the Platform. The hand-back timer may run out and give the conversations you hold
      back to the bot, even while you are working.
    </div>
  );
}
