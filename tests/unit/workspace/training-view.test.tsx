// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingCategory, TrainingWorkspace } from '../../../protocol/training.js';
import { TrainingView } from '../../../renderer/src/training/TrainingView.js';
import { FakeStudioClient } from '../renderer/support/fake-studio-client.js';
import { giveElementsASize } from '../renderer/support/layout-shim.js';
import { onlineState, renderStudio } from '../renderer/support/render-studio.js';

// The category list is virtualised: give happy-dom's boxes a size so that rows are rendered.
beforeAll(() => giveElementsASize());
afterEach(cleanup);

const T = Date.UTC(2026, 10, 25, 12, 0, 0);

function learned(over: Partial<TrainingCategory> = {}): TrainingCategory {
  return {
    id: 'DO YOU SHIP TO MARS\u0000*\u0000*',
    pattern: 'DO YOU SHIP TO MARS',
    that: '*',
    topic: '*',
    template: 'Every Tuesday &amp; Friday.',
    state: 'new',
    source: { conversationId: 'c42', clientName: 'Rusty Sprocket', input: 'Do you ship to Mars?', capturedAt: T },
    findings: [],
    ...over,
  };
}

function workspace(over: Partial<TrainingWorkspace> = {}): TrainingWorkspace {
  return {
    bot: 'starter',
    file: '/ws/starter/pand_livetraining.aiml',
    categories: [learned(), learned({ id: 'HELLO\u0000*\u0000*', pattern: 'HELLO', template: 'Hi there.', state: 'reviewed', source: undefined, findings: [{ kind: 'duplicate', message: 'starter.aiml line 3 has this category with the same answer.', other: { pattern: 'HELLO', that: '*', topic: '*', file: 'starter.aiml', line: 3 } }] })],
    fileProblems: [],
    botFiles: { state: 'pulled', count: 9, pulledAt: T },
    analysed: true,
    publish: { autoPublish: false, credentials: { source: 'saved', appId: 'unabc' } },
    ...over,
  };
}

function client(ws = workspace()) {
  return new FakeStudioClient()
    .answer('training.workspace', () => ws)
    .answer('training.history', () => ({ entries: [] }))
    .answer('training.contextOf', () => ({}))
    .answer('training.suggest', () => ({ patterns: [{ pattern: '^ SHIP TO MARS ^', why: 'Any sentence containing SHIP TO MARS.', examples: ['CAN YOU SHIP TO MARS'] }], srai: [] }))
    .answer('training.validate', ({ field, text }) => ({
      diagnostics: field === 'template' && text.includes('<b>') && !text.includes('</b>') ? [{ file: 'template', line: 1, column: 7, message: 'element <b> is never closed', severity: 'error' as const }] : [],
    }));
}

describe('the Training view', () => {
  it('lists learned categories with their state and conflicts, and opens the source conversation', async () => {
    const opened: string[] = [];
    const fake = client();
    renderStudio(<TrainingView appState={onlineState()} onOpenConversation={(id) => opened.push(id)} />, fake);
    const list = await screen.findByRole('listbox', { name: 'Learned categories' });
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.getAttribute('aria-label'))).toEqual(['DO YOU SHIP TO MARS', 'HELLO']);
    expect(options[0]!.textContent).toContain('Every Tuesday & Friday.');
    expect(options[0]!.textContent).toContain('New');
    expect(options[1]!.textContent).toContain('1 conflict');

    fireEvent.click(options[0]!);
    fireEvent.click(await screen.findByRole('button', { name: "Rusty Sprocket's conversation" }));
    expect(opened).toEqual(['c42']);

    fireEvent.click(options[1]!);
    const findings = await screen.findByRole('region', { name: 'Conflicts and duplicates' });
    expect(findings.textContent).toContain('Duplicate: starter.aiml line 3');
  });

  it('is worked by keyboard: arrows choose a category, Enter goes to its pattern', async () => {
    renderStudio(<TrainingView appState={onlineState()} onOpenConversation={() => undefined} />, client());
    const list = await screen.findByRole('listbox', { name: 'Learned categories' });
    list.focus();
    fireEvent.keyDown(list, { key: 'End' });
    fireEvent.keyDown(list, { key: 'Enter' });
    const pattern = await screen.findByRole('textbox', { name: 'Pattern' });
    expect((pattern as HTMLInputElement).value).toBe('HELLO');
    await waitFor(() => expect(document.activeElement).toBe(pattern));
  });

  it("shows the engine's verdict while the designer types, and will not save an invalid template", async () => {
    const { clock } = renderStudio(<TrainingView appState={onlineState()} onOpenConversation={() => undefined} />, client());
    fireEvent.click(await screen.findByRole('option', { name: 'DO YOU SHIP TO MARS' }));
    const template = screen.getByRole('textbox', { name: 'Template' });
    fireEvent.change(template, { target: { value: 'Every <b>Tuesday' } });
    act(() => clock.advance(250));
    expect(await screen.findByText('Error (line 1, column 7): element <b> is never closed')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save changes' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('broadens the pattern with a suggestion and saves it through training.update', async () => {
    const fake = client().answer('training.update', () => ({ outcome: 'applied' as const, id: 'DO YOU SHIP TO MARS\u0000*\u0000*' }));
    const { clock } = renderStudio(<TrainingView appState={onlineState()} onOpenConversation={() => undefined} />, fake);
    fireEvent.click(await screen.findByRole('option', { name: 'DO YOU SHIP TO MARS' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Use pattern ^ SHIP TO MARS ^' }));
    expect((screen.getByRole('textbox', { name: 'Pattern' }) as HTMLInputElement).value).toBe('^ SHIP TO MARS ^');
    act(() => clock.advance(250));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Save changes' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() =>
      expect(fake.callsOf('training.update')).toEqual([{ bot: 'starter', id: 'DO YOU SHIP TO MARS\u0000*\u0000*', category: { pattern: '^ SHIP TO MARS ^', that: '*', topic: '*', template: 'Every Tuesday &amp; Friday.' } }]),
    );
  });

  it("shows a failed publish with each error's file and line", async () => {
    const fake = client().answer('training.publish', () => ({
      published: false,
      message: 'The Platform did not compile the bot; the bot keeps answering with its last good version.',
      errors: [{ file: 'broken.aiml', line: 3, column: 9, message: 'end tag </category> does not match <template>', severity: 'error' as const }],
      warnings: [],
    }));
    renderStudio(<TrainingView appState={onlineState()} onOpenConversation={() => undefined} />, fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Publish' }));
    const alert = await screen.findByText(/last good version/);
    expect(alert.closest('[role="alert"]')!.textContent).toContain('broken.aiml:3:9 end tag </category> does not match <template>');
  });

  it('asks for the app id and user key of a remote Platform before it can publish', async () => {
    const fake = client(workspace({ publish: { autoPublish: false, credentials: { source: 'missing' } } })).answer('training.setCredentials', () => ({}));
    renderStudio(<TrainingView appState={onlineState()} onOpenConversation={() => undefined} />, fake);
    expect(((await screen.findByRole('button', { name: 'Publish' })) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('App ID'), { target: { value: 'unabc' } });
    fireEvent.change(screen.getByLabelText('User key'), { target: { value: 'secret-key-123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save key' }));
    await waitFor(() => expect(fake.callsOf('training.setCredentials')).toEqual([{ appId: 'unabc', userKey: 'secret-key-123' }]));
  });

  it('refetches when main says the workspace changed (a capture or edit by any designer)', async () => {
    const fake = client();
    renderStudio(<TrainingView appState={onlineState()} onOpenConversation={() => undefined} />, fake);
    await screen.findByRole('listbox', { name: 'Learned categories' });
    const before = fake.callsOf('training.workspace').length;
    act(() => fake.push({ type: 'training.changed', bot: 'starter' }));
    await waitFor(() => expect(fake.callsOf('training.workspace').length).toBeGreaterThan(before));
  });

  it('reports a broken hand edit of the file with its line', async () => {
    renderStudio(<TrainingView appState={onlineState()} onOpenConversation={() => undefined} />, client(workspace({ fileProblems: [{ file: 'pand_livetraining.aiml', line: 8, column: 25, message: 'end tag </templat> does not match', severity: 'error' }] })));
    const alert = await screen.findByText(/was changed outside Studio and has errors/);
    expect(alert.closest('[role="alert"]')!.textContent).toContain('Line 8, column 25: end tag </templat> does not match');
  });
});
