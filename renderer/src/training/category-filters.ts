import type { TrainingCategory } from '../../../protocol/training.js';

export const CATEGORY_FILTERS = [
  { id: 'all', label: 'All' },
  { id: 'new', label: 'New' },
  { id: 'reviewed', label: 'Reviewed' },
  { id: 'findings', label: 'Conflicts' },
] as const;
export type CategoryFilter = (typeof CATEGORY_FILTERS)[number]['id'];

export function matchesFilter(c: TrainingCategory, filter: CategoryFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'new':
    case 'reviewed':
      return c.state === filter;
    case 'findings':
      return c.findings.length > 0;
  }
}

/** Categories in view: by filter, then by words found in pattern, that, template or the user's own words. */
export function visibleCategories(categories: readonly TrainingCategory[], filter: CategoryFilter, query: string): TrainingCategory[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return categories.filter((c) => {
    if (!matchesFilter(c, filter)) return false;
    if (words.length === 0) return true;
    const haystack = `${c.pattern} ${c.that} ${c.template} ${c.source?.input ?? ''} ${c.source?.clientName ?? ''}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

export function filterCounts(categories: readonly TrainingCategory[]): Record<CategoryFilter, number> {
  const counts = { all: 0, new: 0, reviewed: 0, findings: 0 };
  for (const c of categories) {
    counts.all++;
    counts[c.state]++;
    if (c.findings.length > 0) counts.findings++;
  }
  return counts;
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': "'" };

/** A template as a line of text for the list: markup dropped, entities read. */
export function templateText(template: string): string {
  return template
    .replace(/<srai>([\s\S]*?)<\/srai>/g, ' → $1 ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(lt|gt|amp|quot|apos);/g, (e) => ENTITIES[e]!)
    .replace(/\s+/g, ' ')
    .trim();
}
