import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { MAX_IMPORT_CHARS, type ImportConflict } from '../../../protocol/training.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { downloadText } from './download.js';
import { trainingKeys } from './training-queries.js';

/** Export (save dialog in Electron, a download in the browser) and import (merge, conflicts listed). */
export function ImportExport({ bot }: { bot: string }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const fileInput = useRef<HTMLInputElement>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trainingKeys.workspace(bot) });

  const exportFile = useMutation({
    mutationFn: () => client.invoke('training.export', { bot }),
    onSuccess: (r) => {
      if (r.text !== undefined) downloadText(r.fileName, r.text);
    },
  });
  const importFile = useMutation({
    mutationFn: async (file: File) => {
      if (file.size > MAX_IMPORT_CHARS) throw new Error(`${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; an AIML file may be at most 2 MB.`);
      return client.invoke('training.import', { bot, fileName: file.name, text: await file.text() });
    },
    onSettled: refresh,
  });
  const useImported = useMutation({
    mutationFn: (c: ImportConflict) => client.invoke('training.update', { bot, id: c.id, category: { pattern: c.pattern, that: c.that, topic: c.topic, template: c.imported } }),
    onSettled: refresh,
  });
  const r = importFile.data;
  const exported = exportFile.data;

  return (
    <section className="import-export" aria-label="Import and export">
      <div className="import-export-actions">
        <button type="button" onClick={() => exportFile.mutate()} disabled={exportFile.isPending}>
          Export
        </button>
        <button type="button" onClick={() => fileInput.current?.click()} disabled={importFile.isPending}>
          Import…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".aiml,application/xml,text/xml"
          aria-label="AIML file to import"
          className="visually-hidden"
          tabIndex={-1}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) importFile.mutate(file);
          }}
        />
      </div>
      {exported?.savedTo && <p className="form-ok" role="status">Saved to {exported.savedTo}.</p>}
      {exportFile.isError && (
        <p className="form-error" role="alert">
          Not exported: {describeError(exportFile.error)}
        </p>
      )}
      {importFile.isError && (
        <p className="form-error" role="alert">
          Not imported: {describeError(importFile.error)}
        </p>
      )}
      {r && (
        <div className="import-result" role="status">
          <p>
            Imported {r.added} new {r.added === 1 ? 'category' : 'categories'}
            {r.unchanged > 0 ? `, ${r.unchanged} already here` : ''}
            {r.conflicts.length > 0 ? `, ${r.conflicts.length} with another answer here (yours kept)` : ''}.
          </p>
          {r.errors.length > 0 && (
            <ul className="publish-errors">
              {r.errors.map((e, i) => (
                <li key={i}>
                  <code>
                    {e.file}
                    {e.line > 0 ? `:${e.line}` : ''}
                  </code>{' '}
                  {e.message}
                </li>
              ))}
            </ul>
          )}
          {r.conflicts.length > 0 && (
            <ul className="import-conflicts" aria-label="Import conflicts">
              {r.conflicts.map((c) => (
                <li key={c.id}>
                  <code>{c.pattern}</code>: yours “{c.current}”, imported “{c.imported}”{' '}
                  <button type="button" onClick={() => useImported.mutate(c)} disabled={useImported.isPending}>
                    Use imported
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
