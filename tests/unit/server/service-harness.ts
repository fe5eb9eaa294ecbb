import type { EventEnvelope } from '../../../protocol/designer-wire.js';
import { ConversationService } from '../../../server/conversations/conversation-service.js';
import { EventHub } from '../../../server/conversations/event-hub.js';
import { ConversationHistory } from '../../../server/conversations/history.js';
import { DesignerAccounts } from '../../../server/designers/designer-accounts.js';
import { loadWordLists, RobotNameGenerator, type WordLists } from '../../../server/names/robot-names.js';
import { LiveTrainingSettingsStore, loadDefaultSettings } from '../../../server/settings/live-training-settings.js';
import { SqliteRepository } from '../../../server/storage/sqlite-repository.js';
import { ManualClock } from '../../support/manual-clock.js';

/** The conversation engine over an in-memory SQLite database and a manual clock, recording every published event. */
export function serviceHarness(file = ':memory:', words: WordLists = loadWordLists()) {
  const clock = new ManualClock();
  const repo = new SqliteRepository({ file });
  const hub = new EventHub();
  const events: EventEnvelope[] = [];
  hub.subscribe((e) => events.push(e));
  const settings = new LiveTrainingSettingsStore(repo, loadDefaultSettings());
  let n = 0;
  const service = new ConversationService({
    repo,
    clock,
    hub,
    settings,
    names: new RobotNameGenerator(words, () => 0.5),
    newConversationId: () => `conv${++n}`,
  });
  service.start();
  const accounts = new DesignerAccounts(repo, clock);
  const ada = accounts.create('Ada');
  const bob = accounts.create('Bob');
  const history = new ConversationHistory(repo);
  const start = (bot = 'starter', session = `session-${n + 1}`) => service.startConversation({ bot, channel: 'landing', sessionKey: session, online: true });
  return { clock, repo, hub, events, settings, service, history, accounts, ada: { id: ada.id, name: ada.name }, bob: { id: bob.id, name: bob.name }, start };
}

export const answer = (text: string, defaultCategory = false) => ({
  text,
  match: [{ pattern: defaultCategory ? '*' : text.toUpperCase(), that: '*', topic: '*', file: 'starter.aiml', defaultCategory }],
});
