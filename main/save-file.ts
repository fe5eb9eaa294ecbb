/** A file the designer chose to save somewhere (an export), and what came of it. */
export interface SaveFileRequest {
  suggestedName: string;
  text: string;
  /** Shown in the save dialog, e.g. `{ name: 'AIML', extensions: ['aiml'] }`. */
  filters?: { name: string; extensions: string[] }[];
}

export type SaveFileOutcome = { saved: true; path: string } | { saved: false };

/**
 * Where exports go. Electron asks with the native save dialog and writes the file atomically
 * (electron/save-dialog.ts); browser mode has no such port: the renderer offers the text as a download.
 */
export interface SaveFilePort {
  save(request: SaveFileRequest): Promise<SaveFileOutcome>;
}
