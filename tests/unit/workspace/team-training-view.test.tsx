// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingCategory, TrainingWorkspace, UnsentEdit } from '../../../protocol/training.js';
import { TrainingView } from '../../../renderer/src/training/TrainingView.js';
import { FakeStudioClient } from '../renderer/support/fake-studio-client.js';
import { giveElementsASize } from '../renderer/support/layout-shim.js';
import { onlineState, renderStudio } from '../renderer/support/render-studio.js';

// Issue 13 in the Training view: a team's categories on the Platform, conflicts, history, context, drafts, the
// unanswered queue. Main is a fake here (tests/unit/workspace/learned-mirror.test.ts covers main's side).
beforeAll(() => giveElementsASize());
afterEach(cleanup);

const T = Date.UTC(2026, 11, 6, 9, 0, 0);

function learned(over: Partial<TrainingCategory> = {}): TrainingCategory {
  return {
    id: 'L1',
    pattern: 'YES',
    that: '*',
    topic: '*',
    template: 'Tea it is.',
    state: 'new',
    status: 'approved',
    version: 2,
    updatedBy: 'Bea',
    updatedAt: T,
    source: { conversationId: 'c42', clientName: 'Rusty Sprocket', input: 'yes', capturedAt: T },
    candidates: [{ inputSeq: 3, input: 'Do you sell tea?' }],
    findings: [],
    ...over,
  };
}

function workspace(over: Partial<TrainingWorkspace> = {}): TrainingWorkspace {
  return {
    bot: 'starter',
    file: '/ws/starter/pand_livetraining.aiml',
    categories: [learned()],
    fileProblems: [],
    botFiles: { state: 'pulled', count: 9, pulledAt: T },
    analysed: true,
    publish: { autoPublish: false, credentials: { source: 'saved', appId: 'unabc' } },
    sync: { online: true, syncedAt: T, queued: [] },
    unsent: [],
    ...over,
  };
}

function client(ws = workspace()) {
  return new FakeStudioClient()
    .answer('training.workspace', () => ws)
    .answer('training.suggest', () => ({ patterns: [], srai: [] }))
    .answer('training.validate', () => ({ diagnostics: [] }))
    .answer('training.contextOf', () => ({ that: 'WOULD YOU LIKE TEA' }))
    .answer('training.history', () => ({
      entries: [
        { opId: 'op2', kind: 'edit' as const, designer: 'Bea', at: T, before: { pattern: 'YES', that: '*', topic: '*', template: 'Tea.', status: 'approved' as const }, after: { pattern: 'YES', that: '*', topic: '*', template: 'Tea it is.', status: 'approved' as const, version: 2 } },
        { opId: 'op1', kind: 'capture' as const, designer: 'Ada', at: T - 60_000, before: null, after: { pattern: 'YES', that: '*', topic: '*', template: 'Tea.', status: 'approved' as const, version: 1 } },
      ],
    }));
}

const open = () => renderStudio(<TrainingView appState={onlineState()} onOpenConversation={() => undefined} />, fakeClient);
let fakeClient: FakeStudioClient;

async function openCategory(pattern = 'YES') {
  fireEvent.click(await screen.findByRole('option', { name: pattern }));
  return screen.findByRole('region', { name: 'Category details' });
}

describe('a category changed by the team', () => {
  it("shows its history (who, when, before → after) and undoes one entry with the version it produced", async () => {
    fakeClient = client().answer('training.undoEntry', () => ({ outcome: 'applied' as const }));
    open();
    const details = await openCategory();
    const history = await within(details).findByRole('region', { name: 'History' });
    await waitFor(() => expect(history.textContent).toContain('Bea edited it'));
    expect(history.textContent).toContain('YES: “Tea.” → YES: “Tea it is.”');
    expect(history.textContent).toContain('Ada learned it');
    fireEvent.click(within(history).getAllByRole('button', { name: /^Undo: Bea edited it/ })[0]!);
    await waitFor(() => expect(fakeClient.callsOf('training.undoEntry')).toEqual([{ bot: 'starter', opId: 'op2', baseVersion: 2 }]));
  });

  it('switches between "Any context" and "Only after: <that>" in one click, and uses another captured input', async () => {
    fakeClient = client().answer('training.setContext', () => ({ outcome: 'applied' as const, id: 'L1' })).answer('training.useInput', () => ({ outcome: 'applied' as const, id: 'L1' }));
    open();
    const details = await openCategory();
    const context = within(details).getByRole('group', { name: 'Context' });
    expect(within(context).getByRole('button', { name: 'Any context' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(await within(context).findByRole('button', { name: 'Only after: WOULD YOU LIKE TEA' }));
    await waitFor(() => expect(fakeClient.callsOf('training.setContext')).toEqual([{ bot: 'starter', id: 'L1', context: { kind: 'after', that: 'WOULD YOU LIKE TEA' } }]));

    expect(details.textContent).toContain('Captured from: yes');
    fireEvent.click(within(details).getByRole('button', { name: 'Use this input instead: Do you sell tea?' }));
    await waitFor(() => expect(fakeClient.callsOf('training.useInput')).toEqual([{ bot: 'starter', id: 'L1', input: 'Do you sell tea?' }]));
  });

  it('shows a draft as a draft with an Approve button', async () => {
    fakeClient = client(workspace({ categories: [learned({ status: 'draft' })], reviewMode: true })).answer('training.approve', () => ({ outcomes: [{ outcome: 'applied' as const, id: 'L1' }] }));
    open();
    expect((await screen.findByRole('option', { name: 'YES' })).textContent).toContain('Draft');
    expect(screen.getByText(/Review is on for this bot/)).toBeTruthy();
    const details = await openCategory();
    fireEvent.click(within(details).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(fakeClient.callsOf('training.approve')).toEqual([{ bot: 'starter', ids: ['L1'] }]));
  });

  it('says an edit made offline is kept and waits for the Platform', async () => {
    fakeClient = client(workspace({ sync: { online: false, syncedAt: T, queued: [{ opId: 'q1', label: 'Edit of YES', queuedAt: T }] } })).answer('training.update', () => ({ outcome: 'queued' as const, id: 'L1' }));
    const { clock } = open();
    expect((await screen.findByText(/Offline: Training shows the categories as last seen/)).textContent).toContain('1 edit waits to be sent, in order: Edit of YES.');
    const details = await openCategory();
    fireEvent.change(within(details).getByRole('textbox', { name: 'Template' }), { target: { value: 'Tea, of course.' } });
    act(() => clock.advance(250));
    await waitFor(() => expect((within(details).getByRole('button', { name: 'Save changes' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(within(details).getByRole('button', { name: 'Save changes' }));
    expect(await within(details).findByText(/it goes to the Platform, in order, when Studio is connected again/)).toBeTruthy();
  });

  it('previews with the drafts when "Include drafts" is ticked', async () => {
    fakeClient = client().answer('training.preview', () => ({ text: 'Tea it is.', withBotFiles: true, sentences: [] }));
    open();
    fireEvent.change(await screen.findByLabelText('Test input'), { target: { value: 'yes' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Include drafts' }));
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() => expect(fakeClient.callsOf('training.preview')).toEqual([{ bot: 'starter', input: 'yes', includeDrafts: true }]));
  });
});

describe('a conflict with another designer', () => {
  it('saves an edit on the version it started from, and says so when another designer saved meanwhile', async () => {
    let current = workspace();
    fakeClient = client().answer('training.workspace', () => current).answer('training.update', () => ({ outcome: 'conflict' as const, id: 'L1' }));
    const { clock } = open();
    const details = await openCategory();
    fireEvent.change(within(details).getByRole('textbox', { name: 'Template' }), { target: { value: 'Mine: black tea.' } });
    current = workspace({ categories: [learned({ version: 3, template: 'Theirs: green tea.', updatedBy: 'Ada' })] });
    act(() => fakeClient.push({ type: 'training.changed', bot: 'starter' }));
    expect(await within(details).findByText(/Ada changed this category while you were editing it/)).toBeTruthy();
    expect((within(details).getByRole('textbox', { name: 'Template' }) as HTMLTextAreaElement).value).toBe('Mine: black tea.');
    act(() => clock.advance(250));
    await waitFor(() => expect((within(details).getByRole('button', { name: 'Save changes' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(within(details).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(fakeClient.callsOf('training.update')).toEqual([{ bot: 'starter', id: 'L1', category: { pattern: 'YES', that: '*', topic: '*', template: 'Mine: black tea.' }, baseVersion: 2 }]));
  });


  const conflict: UnsentEdit = {
    opId: 'op9',
    label: 'Edit of YES',
    categoryId: 'L1',
    conflict: {
      message: 'Bea changed this category since you saw it.',
      theirs: { pattern: 'YES', that: '*', topic: '*', template: 'Theirs: green tea.', status: 'approved', version: 3, by: 'Bea', at: T },
      yours: { pattern: 'YES', that: '*', topic: '*', template: 'Mine: black tea.', status: 'approved', version: 2 },
    },
  };

  it('opens a dialog with both versions side by side; "Use mine" and "Keep theirs" resolve it', async () => {
    fakeClient = client(workspace({ unsent: [conflict] })).answer('training.resolve', () => ({ outcome: 'applied' as const }));
    open();
    const dialog = await screen.findByRole('dialog', { name: 'Conflict: Edit of YES' });
    expect(within(dialog).getByRole('region', { name: 'Theirs, on the Platform' }).textContent).toContain('Theirs: green tea.');
    expect(within(dialog).getByRole('region', { name: 'Theirs, on the Platform' }).textContent).toContain('Bea');
    expect(within(dialog).getByRole('region', { name: 'Yours' }).textContent).toContain('Mine: black tea.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Use mine' }));
    await waitFor(() => expect(fakeClient.callsOf('training.resolve')).toEqual([{ bot: 'starter', opId: 'op9', choice: 'mine' }]));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep theirs' }));
    await waitFor(() => expect(fakeClient.callsOf('training.resolve')).toHaveLength(2));
  });

  it('lets the designer edit a merge of both and saves it', async () => {
    fakeClient = client(workspace({ unsent: [conflict] })).answer('training.resolve', () => ({ outcome: 'applied' as const }));
    open();
    const dialog = await screen.findByRole('dialog', { name: 'Conflict: Edit of YES' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Edit a merge' }));
    const merge = within(dialog).getByRole('form', { name: 'Merge' });
    fireEvent.change(within(merge).getByRole('textbox', { name: 'Template' }), { target: { value: 'Green or black tea.' } });
    fireEvent.click(within(merge).getByRole('button', { name: 'Save merge' }));
    await waitFor(() =>
      expect(fakeClient.callsOf('training.resolve')).toEqual([{ bot: 'starter', opId: 'op9', choice: 'merge', category: { pattern: 'YES', that: '*', topic: '*', template: 'Green or black tea.' } }]),
    );
  });
});

describe('the Unanswered queue', () => {
  it('lists the groups with counts, first and last seen, links to the conversations; answers one and ignores another', async () => {
    const opened: string[] = [];
    fakeClient = client()
      .answer('training.unanswered', () => ({
        groups: [
          { bot: 'starter', groupKey: 'WHAT ARE YOUR OPENING HOURS', example: 'What are your opening hours?', count: 3, firstSeen: T - 3_600_000, lastSeen: T, conversations: ['c1', 'c2'], ignored: false },
          { bot: 'starter', groupKey: 'ASDF', example: 'asdf', count: 1, firstSeen: T, lastSeen: T, conversations: ['c3'], ignored: false },
        ],
      }))
      .answer('training.answerUnanswered', () => ({ id: 'L9', sentTo: ['c2'] }))
      .answer('training.ignoreUnanswered', () => ({}));
    renderStudio(<TrainingView appState={onlineState()} onOpenConversation={(id) => opened.push(id)} />, fakeClient);
    fireEvent.click(await screen.findByRole('button', { name: 'Unanswered' }));
    const queue = await screen.findByRole('region', { name: 'Unanswered inputs' });
    const [hours, asdf] = within(queue).getAllByRole('listitem');
    expect(hours!.textContent).toContain('Asked 3 times');
    expect(hours!.textContent).toContain('first');
    fireEvent.click(within(hours!).getByRole('button', { name: 'conversation 2' }));
    expect(opened).toEqual(['c2']);

    fireEvent.change(within(hours!).getByRole('textbox', { name: 'Answer' }), { target: { value: 'Nine to five.' } });
    fireEvent.click(within(hours!).getByRole('checkbox', { name: 'Also send to users still online' }));
    fireEvent.click(within(hours!).getByRole('button', { name: 'Answer' }));
    await waitFor(() => expect(fakeClient.callsOf('training.answerUnanswered')).toEqual([{ bot: 'starter', groupKey: 'WHAT ARE YOUR OPENING HOURS', template: 'Nine to five.', sendToOnline: true }]));

    fireEvent.click(within(asdf!).getByRole('button', { name: 'Ignore' }));
    await waitFor(() => expect(fakeClient.callsOf('training.ignoreUnanswered')).toEqual([{ bot: 'starter', groupKey: 'ASDF', ignored: true }]));
  });
});

describe('Undo last change', () => {
  it("undoes this designer's own last change from the toolbar and says what it undid", async () => {
    fakeClient = client().answer('training.undoLast', () => ({ outcome: 'applied' as const, undone: 'your edit of YES' }));
    open();
    fireEvent.click(await screen.findByRole('button', { name: 'Undo last change' }));
    await waitFor(() => expect(fakeClient.callsOf('training.undoLast')).toEqual([{ bot: 'starter', designerId: 'me' }]));
    expect((await screen.findByText('Undone: your edit of YES.')).getAttribute('role')).toBe('status');
  });

  it('does the same with Ctrl+Z or Cmd+Z, but not while typing in a text field', async () => {
    fakeClient = client().answer('training.undoLast', () => ({ outcome: 'conflict' as const, undone: 'your edit of YES' }));
    open();
    const search = await screen.findByRole('searchbox', { name: 'Search learned categories' });
    fireEvent.keyDown(document.body, { key: 'z', metaKey: true });
    await screen.findByText('Not undone: your edit of YES was changed since by someone else. Choose below.');
    expect(fakeClient.callsOf('training.undoLast')).toEqual([{ bot: 'starter', designerId: 'me' }]);
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(fakeClient.callsOf('training.undoLast')).toHaveLength(2));
    const button = screen.getByRole('button', { name: 'Undo last change' });
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
    // In a text field Ctrl+Z undoes typing: the click after it is the barrier (its call is the third, not the fourth).
    fireEvent.keyDown(search, { key: 'z', ctrlKey: true });
    fireEvent.click(button);
    await waitFor(() => expect(fakeClient.callsOf('training.undoLast').length).toBeGreaterThanOrEqual(3));
    expect(fakeClient.callsOf('training.undoLast')).toHaveLength(3);
  });

  it('says why when there is nothing left to undo', async () => {
    fakeClient = client().answer('training.undoLast', () => {
      throw Object.assign(new Error('You have no change on starter left to undo.'), { code: 'not_found' });
    });
    open();
    fireEvent.click(await screen.findByRole('button', { name: 'Undo last change' }));
    expect((await screen.findByRole('alert')).textContent).toContain('You have no change on starter left to undo.');
  });
});

describe("the designer's hand edit of pand_livetraining.aiml", () => {
  it('says what could not be taken in, with the file and line, both answers of a conflict, and where the file was kept', async () => {
    fakeClient = client(
      workspace({
        handEdit: {
          at: T,
          added: 1,
          errors: [{ file: 'pand_livetraining.aiml', line: 7, column: 14, severity: 'error', message: 'A pattern cannot contain “&”.' }],
          conflicts: [{ id: 'L1', pattern: 'YES', that: '*', topic: '*', current: 'Tea it is.', imported: 'Coffee.' }],
          keptAt: '/ws/starter/pand_livetraining.aiml.rejected-1765011600000',
        },
      }),
    );
    open();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('1 category added');
    expect(alert.textContent).toContain('pand_livetraining.aiml, line 7, column 14: A pattern cannot contain “&”.');
    expect(alert.textContent).toContain('YES already answers “Tea it is.”; your file says “Coffee.”');
    expect(alert.textContent).toContain('/ws/starter/pand_livetraining.aiml.rejected-1765011600000');
  });
});
