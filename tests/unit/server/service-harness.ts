import type { EventEnvelope } from '../../../protocol/designer-wire.js';
import { ConversationService } from '../../../server/conversations/conversation-service.js';
import { EventHub } from '../../../server/conversations/event-hub.js';
import { ConversationHistory } from '../../../server/conversations/history.js';
import { DesignerAccounts } from '../../../server/designers/designer-accounts.js';
import { loadWordLists, RobotNameGenerator, type WordLists } from '../../../server/names/robot-names.js';
import { LiveTrainingSettingsStore, loadDefaultSettings } from '../../../server/settings/live-training-settings.js';
import { SqliteStorage } from '../../../server/storage/sqlite-storage.js';
import { ManualClock } from '../../support/manual-clock.js';

/** The conversation engine over an in-memory SQLite database and a manual clock, recording every published event. */
export async function serviceHarness(file = ':memory:', words: WordLists = loadWordLists()) {
  const clock = new ManualClock();
  const storage = new SqliteStorage({ file });
  const hub = new EventHub();
  const events: EventEnvelope[] = [];
  hub.subscribe((e) => events.push(e));
  const settings = new LiveTrainingSettingsStore(storage, loadDefaultSettings());
  await settings.load(['starter']);
  let n = 0;
  const service = new ConversationService({
    storage,
    instanceId: 'test-instance',
    clock,
    hub,
    settings,
    names: new RobotNameGenerator(words, () => 0.5),
    newConversationId: () => `conv${++n}`,
  });
  await service.start();
  const accounts = new DesignerAccounts(storage, clock);
  const ada = await accounts.create('Ada');
  const bob = await accounts.create('Bob');
  const history = new ConversationHistory(storage);
  const start = (bot = 'starter', session = `session-${n + 1}`) => service.startConversation({ bot, channel: 'landing', sessionKey: session, online: true });
  return { clock, storage, hub, events, settings, service, history, accounts, ada: { id: ada.id, name: ada.name }, bob: { id: bob.id, name: bob.name }, start };
}

export type ServiceHarness = Awaited<ReturnType<typeof serviceHarness>>;

export const answer = (text: string, defaultCategory = false) => ({
  text,
  match: [{ pattern: defaultCategory ? '*' : text.toUpperCase(), that: '*', topic: '*', file: 'starter.aiml', defaultCategory }],
});
