import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConversationView, StudioEvent } from '../../../protocol/studio-api.js';
import type { PublishResult, TrainingWorkspace } from '../../../protocol/training.js';
import { readLocalPlatformCredentials } from '../../../main/workspace/local-credentials.js';
import { startStack, type Stack } from '../../e2e/support/stack.js';
import { ChatUser } from '../studio/support/chat-user.js';

let stack: Stack;
const users: ChatUser[] = [];
beforeEach(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
afterEach(async () => {
  for (const u of users.splice(0)) u.close();
  await stack.close();
});

class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, args: unknown = {}): Promise<T> {
  const reply = await stack.designer('Ada').studio.dispatcher.invoke(method, args);
  if (!reply.ok) throw new CallError(reply.error.code, reply.error.message);
  return reply.result as T;
}
const workspace = () => call<TrainingWorkspace>('training.workspace', { bot: 'starter' });

async function user(): Promise<ChatUser> {
  const u = await ChatUser.open(stack.platformUrl);
  users.push(u);
  return u;
}

/** A user asks; the bot answers with its default; the designer answers live; the workspace captures it. */
async function answerLive(question: string, answer: string): Promise<void> {
  const u = await user();
  u.say(question);
  await vi.waitFor(() => expect(u.messages.some((m) => m.from === 'bot')).toBe(true), { timeout: 10_000 });
  const conv = await vi.waitFor(async () => {
    const list = (await call<{ conversations: ConversationView[] }>('conversations.list')).conversations;
    const found = list.find((c) => c.lastMessage?.author === 'bot' && c.lastSeq >= 2 && !c.heldBy);
    expect(found).toBeDefined();
    return found!;
  });
  await call('conversation.reply', { conversationId: conv.id, text: answer });
  await vi.waitFor(async () => expect((await workspace()).categories.some((c) => c.template === answer)).toBe(true), { timeout: 10_000 });
}

async function botAnswer(question: string): Promise<string> {
  const u = await user();
  u.say(question);
  return vi.waitFor(
    () => {
      const reply = u.messages.find((m) => m.from === 'bot');
      expect(reply).toBeDefined();
      return reply!.text;
    },
    { timeout: 10_000 },
  );
}

describe('publishing the workspace to a real Platform through its Pandorabots API', () => {
  it('pulls the bot files once credentials are given, publishes a broadened category with progress, and the bot answers a variant', async () => {
    await answerLive('Do you ship to Mars?', 'Yes! To Mars every Tuesday.');
    const first = await workspace();
    expect(first.publish.credentials.source).toBe('missing');
    await expect(call('training.publish', { bot: 'starter' })).rejects.toMatchObject({ code: 'credentials_missing' });

    await call('training.setCredentials', stack.apiCredentials);
    const pulled = await workspace();
    expect(pulled.publish.credentials).toEqual({ source: 'saved', appId: stack.apiCredentials.appId });
    expect(pulled.botFiles).toMatchObject({ state: 'pulled' });
    expect(pulled.botFiles.count).toBeGreaterThanOrEqual(3);
    expect(pulled.analysed).toBe(true);

    const learned = pulled.categories.find((c) => c.template === 'Yes! To Mars every Tuesday.')!;
    const { patterns } = await call<{ patterns: { pattern: string }[] }>('training.suggest', { bot: 'starter', id: learned.id });
    expect(patterns[0]!.pattern).toBe('^ SHIP TO MARS ^');
    await call('training.update', { bot: 'starter', id: learned.id, category: { pattern: patterns[0]!.pattern, that: '*', topic: '*', template: learned.template } });

    const progress: string[] = [];
    const stop = stack.designer('Ada').studio.events.subscribe((e: StudioEvent) => {
      if (e.type === 'training.progress') progress.push(e.phase);
    });
    const result = await call<PublishResult>('training.publish', { bot: 'starter' });
    stop();
    expect(result).toMatchObject({ published: true, errors: [] });
    expect(progress[0]).toBe('checking');
    expect(progress).toContain('uploading');
    expect(progress.slice(-2)).toEqual(['verifying', 'done']);
    expect((await workspace()).publish.lastPublishedAt).toBeGreaterThan(0);

    expect(await botAnswer('Could you ship to Mars, please?')).toBe('Yes! To Mars every Tuesday.');
  });

  it("shows the Platform's compile errors with file and line, and the bot keeps its last good version", async () => {
    await call('training.setCredentials', stack.apiCredentials);
    await answerLive('What is a flux capacitor?', 'It makes time travel possible.');
    // Someone broke another file of the bot on the Platform (by hand, on its disk).
    writeFileSync(join(stack.platformDataDir, 'bots', 'starter', 'aiml', 'broken.aiml'), '<aiml version="2.0">\n<category><pattern>X</pattern>\n<template>oops</category>\n</aiml>\n');
    const result = await call<PublishResult>('training.publish', { bot: 'starter' });
    expect(result.published).toBe(false);
    expect(result.message).toMatch(/last good version/);
    expect(result.errors[0]).toMatchObject({ file: 'broken.aiml', line: 3 });
    expect((await workspace()).publish.lastErrors?.[0]).toMatchObject({ file: 'broken.aiml' });
    // The failed compile changed nothing the bot runs: the broken file's category is not live. The learned category
    // is, since the Platform captured the reply (issue 13), whether the publish compiled or not.
    expect(await botAnswer('X')).not.toBe('oops');
    expect(await botAnswer('What is a flux capacitor?')).toBe('It makes time travel possible.');
  });

  it('refuses wrong credentials in plain words', async () => {
    await call('training.setCredentials', { appId: stack.apiCredentials.appId, userKey: 'wrongwrongwrong' });
    await expect(call('training.refresh', { bot: 'starter' })).rejects.toMatchObject({ code: 'platform_unauthorized', message: expect.stringMatching(/app id or user key/) as unknown });
    expect((await workspace()).botFiles).toMatchObject({ state: 'failed', message: expect.stringMatching(/401/) as unknown });
  });

  it('publishes by itself after each capture when auto-publish is on', async () => {
    await call('training.setCredentials', stack.apiCredentials);
    await call('training.setAutoPublish', { bot: 'starter', enabled: true });
    await answerLive('Do you sell gift cards?', 'Yes, at the till.');
    await vi.waitFor(async () => expect((await workspace()).publish.lastPublishedAt).toBeDefined(), { timeout: 10_000 });
    expect(await botAnswer('Do you sell gift cards?')).toBe('Yes, at the till.');
  });

  it("reads the credentials of a Platform whose data is on this machine (Studio's embedded one)", async () => {
    expect(await readLocalPlatformCredentials(stack.platformDataDir)).toEqual(stack.apiCredentials);
  });
});
