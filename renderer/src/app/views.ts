/**
 * Studio's top-level views, in the order of the navigation. A new view (the Training workspace) adds an entry
 * here and a case in App's `renderView`; nothing else in the shell needs to know about it.
 */
export const VIEWS = [
  { id: 'inbox', label: 'Inbox' },
  { id: 'settings', label: 'Settings' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];
