import type { Storage } from '../../../../server/storage/storage.js';

/** The reads a Storage answers outside transactions (what a designer's resume and a widget's welcome use). */
const READS = new Set([
  'botNames',
  'settingsOverrides',
  'lastEventId',
  'oldestEventId',
  'eventsAfter',
  'getConversation',
  'findConversationBySession',
  'listConversations',
  'messagesBefore',
  'messagesAfter',
  'designerById',
  'commandResult',
]);

/**
 * The storage, with every read outside a transaction answered a turn of the event loop later, as a networked database
 * would: commits (and their events) can then land between the reads of one resume, which SQLite's instant reads never
 * let happen. Everything else goes straight through (the Proxy keeps `instanceof`).
 */
export function withSlowReads(storage: Storage): Storage {
  return new Proxy(storage, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof name !== 'string' || !READS.has(name) || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setImmediate(resolve));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
