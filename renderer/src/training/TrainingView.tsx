import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import type { AppState } from '../../../protocol/studio-api.js';
import { LoadError } from '../app/LoadError.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { CATEGORY_FILTERS, filterCounts, visibleCategories, type CategoryFilter } from './category-filters.js';
import { CATEGORY_EDITOR_ID, CategoryEditor } from './CategoryEditor.js';
import { CategoryList } from './CategoryList.js';
import { ConflictDialog } from './ConflictDialog.js';
import { HandEditNotice } from './HandEditNotice.js';
import { ImportExport } from './ImportExport.js';
import { PreviewPanel } from './PreviewPanel.js';
import { PublishPanel } from './PublishPanel.js';
import { SyncStatus } from './SyncStatus.js';
import { UnansweredPanel } from './UnansweredPanel.js';
import { UndoLastChange } from './UndoLastChange.js';
import { trainingKeys, useTrainingEvents, useTrainingWorkspace } from './training-queries.js';
import './training.css';

interface Props {
  appState: AppState;
  onOpenConversation: (conversationId: string) => void;
}

/**
 * The Training view: the bot's learned categories as the Platform has them (every designer's, live), for one bot at a
 * time. Review, approve and edit them (with the engine's validation and suggestions), see conflicts with the bot's
 * other files and each category's history, preview answers, import and export `pand_livetraining.aiml`, publish it
 * to another Pandorabots-compatible server, and answer the unanswered queue. A change that met another designer's
 * opens a dialog with both versions.
 */
export function TrainingView({ appState, onOpenConversation }: Props) {
  const bots = appState.bots.map((b) => b.name);
  const [chosenBot, setChosenBot] = useState<string | undefined>();
  const bot = chosenBot !== undefined && bots.includes(chosenBot) ? chosenBot : bots[0];

  if (!bot) {
    return (
      <div className="training">
        <h1 className="visually-hidden">Training</h1>
        <p className="list-empty">No bots yet: they appear here once Studio is connected to a Platform.</p>
      </div>
    );
  }
  return <BotTraining key={bot} bot={bot} bots={bots} designerId={appState.designer?.id} onChooseBot={setChosenBot} onOpenConversation={onOpenConversation} />;
}

function BotTraining({
  bot,
  bots,
  designerId,
  onChooseBot,
  onOpenConversation,
}: {
  bot: string;
  bots: string[];
  designerId: string | undefined;
  onChooseBot: (bot: string) => void;
  onOpenConversation: (id: string) => void;
}) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const workspace = useTrainingWorkspace(bot);
  const progress = useTrainingEvents(bot);
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [filter, setFilter] = useState<CategoryFilter>('all');
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [tab, setTab] = useState<'learned' | 'unanswered'>('learned');
  const dismiss = useMutation({
    mutationFn: (opId: string) => client.invoke('training.resolve', { bot, opId, choice: 'theirs' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: trainingKeys.workspace(bot) }),
  });
  const pull = useMutation({ mutationFn: () => client.invoke('training.refresh', { bot }), onSettled: () => queryClient.invalidateQueries({ queryKey: trainingKeys.workspace(bot) }) });

  const categories = useMemo(() => workspace.data?.categories ?? [], [workspace.data]);
  const visible = useMemo(() => visibleCategories(categories, filter, deferredQuery), [categories, filter, deferredQuery]);
  const counts = useMemo(() => filterCounts(categories), [categories]);
  const selected = categories.find((c) => c.id === selectedId);

  if (workspace.isPending) {
    return (
      <div className="training">
        <p className="list-empty" role="status">
          Opening the workspace…
        </p>
      </div>
    );
  }
  if (workspace.isError) {
    return (
      <div className="training">
        <LoadError what="The workspace could not be opened" error={workspace.error} onRetry={() => workspace.refetch()} />
      </div>
    );
  }
  const ws = workspace.data;
  const files = ws.botFiles;
  const conflict = ws.unsent?.find((u): u is typeof u & { conflict: NonNullable<typeof u.conflict> } => u.conflict !== undefined);
  const refused = ws.unsent?.filter((u) => u.refused !== undefined) ?? [];

  return (
    <div className="training">
      <h1 className="visually-hidden">Training</h1>
      <header className="training-toolbar">
        {bots.length > 1 ? (
          <label className="bot-picker">
            Bot{' '}
            <select value={bot} onChange={(e) => onChooseBot(e.target.value)}>
              {bots.map((b) => (
                <option key={b}>{b}</option>
              ))}
            </select>
          </label>
        ) : (
          <span className="bot-name">{bot}</span>
        )}
        <span className="muted training-file" title={ws.file}>
          {ws.categories.length} learned {ws.categories.length === 1 ? 'category' : 'categories'} in <code>pand_livetraining.aiml</code>
        </span>
        <span className="topbar-spacer" />
        <div className="training-tabs" role="group" aria-label="Training views">
          <button type="button" aria-pressed={tab === 'learned'} onClick={() => setTab('learned')}>
            Learned
          </button>
          <button type="button" aria-pressed={tab === 'unanswered'} onClick={() => setTab('unanswered')}>
            Unanswered
          </button>
        </div>
        <UndoLastChange bot={bot} designerId={designerId} />
        <ImportExport bot={bot} />
      </header>
      <SyncStatus sync={ws.sync} />
      {ws.reviewMode && (
        <p className="muted training-banner">Review is on for this bot: learned answers stay drafts until a designer approves them.</p>
      )}
      {conflict && <ConflictDialog key={conflict.opId} bot={bot} edit={conflict} />}
      {refused.length > 0 && (
        <div className="banner banner-error training-banner" role="alert">
          <p>The Platform did not take these edits:</p>
          <ul>
            {refused.map((u) => (
              <li key={u.opId}>
                {u.label}: {u.refused}{' '}
                <button type="button" className="link-button" disabled={dismiss.isPending} onClick={() => dismiss.mutate(u.opId)}>
                  Dismiss
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {tab === 'unanswered' && <UnansweredPanel bot={bot} onOpenConversation={onOpenConversation} />}

      <HandEditNotice handEdit={ws.handEdit} />
      {ws.fileProblems.length > 0 && (
        <div className="banner banner-error training-banner" role="alert">
          <p>
            <code>pand_livetraining.aiml</code> was changed outside Studio and has errors. Studio keeps working with the learned categories it has from the
            Platform, keeps a copy of the edited file beside it, and writes the file again from those categories.
          </p>
          <ul>
            {ws.fileProblems.slice(0, 5).map((d, i) => (
              <li key={i}>
                Line {d.line}, column {d.column}: {d.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {ws.brokenCopy && ws.fileProblems.length === 0 && (
        <p className="banner banner-warning training-banner" role="status">
          The broken edit of the file was kept at <code>{ws.brokenCopy}</code>.
        </p>
      )}
      <div className="training-body" hidden={tab !== 'learned'}>
        <aside className="training-sidebar" aria-label="Learned categories list">
          <div className="inbox-tools">
            <input type="search" aria-label="Search learned categories" placeholder="Search patterns, answers, inputs" value={query} onChange={(e) => setQuery(e.target.value)} />
            <div className="filters" role="group" aria-label="Filter learned categories">
              {CATEGORY_FILTERS.map((f) => (
                <button key={f.id} type="button" className="filter" aria-pressed={filter === f.id} onClick={() => setFilter(f.id)}>
                  {f.label} <span className="filter-count">{counts[f.id]}</span>
                </button>
              ))}
            </div>
          </div>
          <CategoryList
            categories={visible}
            selectedId={selectedId}
            onSelect={(id, via) => {
              setSelectedId(id);
              // In a narrow window the editor is below the list: bring it up when a category is clicked.
              if (via === 'pointer') requestAnimationFrame(() => document.getElementById(CATEGORY_EDITOR_ID)?.scrollIntoView({ block: 'nearest' }));
            }}
            onOpen={() => document.getElementById(CATEGORY_EDITOR_ID)?.querySelector('input')?.focus()}
            emptyText={categories.length === 0 ? 'Nothing learned yet. Every reply you give in a live conversation becomes a category here.' : 'No categories in this view.'}
          />
          <p className="bot-files muted" role="status">
            {files.state === 'pulled'
              ? `Checked against ${files.count} files of the bot${files.pulledAt ? `, fetched ${new Date(files.pulledAt).toLocaleTimeString()}` : ''}.`
              : files.state === 'failed'
                ? `The bot's files could not be fetched: ${files.message ?? ''}`
                : ws.analysed
                  ? "Checked against the bot's files on this computer."
                  : "Conflicts are checked once the bot's files are fetched (needs the Platform's key)."}{' '}
            <button type="button" className="link-button" disabled={pull.isPending || ws.publish.credentials.source === 'missing'} onClick={() => pull.mutate()}>
              {pull.isPending ? 'Fetching…' : "Fetch the bot's files"}
            </button>
          </p>
          {pull.isError && (
            <p className="form-error" role="alert">
              {describeError(pull.error)}
            </p>
          )}
        </aside>
        {/* One column of its own that scrolls as a whole where the window is too narrow for three. */}
        <div className="training-work">
          <section className="training-main" aria-label="Category details">
            {selected ? (
              <CategoryEditor key={selected.id} bot={bot} category={selected} onSaved={setSelectedId} onRemoved={() => setSelectedId(undefined)} onOpenConversation={onOpenConversation} />
            ) : (
              <section className="pane-empty">
                <h2>Learned categories</h2>
                <p>Pick a category to review it: broaden its pattern, edit its answer, check it against the bot.</p>
              </section>
            )}
          </section>
          <aside className="training-side" aria-label="Preview and publishing">
            <PreviewPanel bot={bot} />
            <PublishPanel workspace={ws} progress={progress} />
          </aside>
        </div>
      </div>
    </div>
  );
}
