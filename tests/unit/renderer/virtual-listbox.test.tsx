// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualListbox } from '../../../renderer/src/app/VirtualListbox.js';
import { giveElementsASize } from './support/layout-shim.js';

// 800 px of list at 40 px a row: 20 rows show, a page is 19.
giveElementsASize(400, 800);
afterEach(cleanup);

const ROBOTS = Array.from({ length: 10_000 }, (_, i) => ({ id: `r${i}`, name: `Robot ${i}` }));

function Harness({ items = ROBOTS, initial, onOpen }: { items?: typeof ROBOTS; initial?: string; onOpen?: () => void }) {
  const [selected, setSelected] = useState<string | undefined>(initial);
  return (
    <VirtualListbox
      label="Robots"
      items={items}
      itemId={(r) => r.id}
      optionId={(r) => `robot-${r.id}`}
      renderOption={(r, { selected: isSelected }) => ({ label: r.name, describedBy: `robot-${r.id}-about`, content: <span id={`robot-${r.id}-about`}>{isSelected ? 'chosen' : 'waiting'}</span> })}
      selectedId={selected}
      onSelect={setSelected}
      onOpen={onOpen}
      rowHeight={40}
      emptyText="No robots."
      className="robots"
    />
  );
}

const list = () => screen.getByRole('listbox', { name: 'Robots' });
const active = () => document.getElementById(list().getAttribute('aria-activedescendant') ?? '');
// happy-dom does not scroll: far options are not rendered here, so their id is what can be checked.
const activeId = () => list().getAttribute('aria-activedescendant');
const press = (key: string, init: Partial<KeyboardEventInit> = {}) => fireEvent.keyDown(list(), { key, ...init });

describe('the virtualised listbox', () => {
  it('renders only the rows in view of ten thousand, each an option named and described, with its position', () => {
    render(<Harness />);
    const options = screen.getAllByRole('option');
    expect(options.length).toBeGreaterThan(10);
    expect(options.length).toBeLessThan(40);
    expect(options[0]).toMatchObject({ id: 'robot-r0' });
    expect(options[0]!.getAttribute('aria-label')).toBe('Robot 0');
    expect(options[0]!.getAttribute('aria-describedby')).toBe('robot-r0-about');
    expect(options[0]!.getAttribute('aria-posinset')).toBe('1');
    expect(options[0]!.getAttribute('aria-setsize')).toBe('10000');
    expect(list().getAttribute('aria-activedescendant')).toBeNull();
  });

  it('moves the selection with the arrow keys, a page at a time, and to either end; the active descendant follows', () => {
    render(<Harness />);
    press('ArrowDown');
    expect(active()?.getAttribute('aria-label')).toBe('Robot 0');
    expect(active()?.getAttribute('aria-selected')).toBe('true');
    press('ArrowDown');
    press('ArrowDown');
    press('ArrowUp');
    expect(active()?.getAttribute('aria-label')).toBe('Robot 1');
    press('PageDown');
    expect(active()?.getAttribute('aria-label')).toBe('Robot 20');
    press('PageUp');
    expect(active()?.getAttribute('aria-label')).toBe('Robot 1');
    press('End');
    expect(activeId()).toBe('robot-r9999');
    press('ArrowDown');
    expect(activeId()).toBe('robot-r9999');
    press('Home');
    expect(active()?.getAttribute('aria-label')).toBe('Robot 0');
    press('ArrowUp');
    expect(active()?.getAttribute('aria-label')).toBe('Robot 0');
  });

  it('leaves modified keys to the app shortcuts and the browser', () => {
    render(<Harness initial="r5" />);
    press('ArrowDown', { altKey: true });
    press('End', { ctrlKey: true });
    press('Home', { metaKey: true });
    expect(active()?.getAttribute('aria-label')).toBe('Robot 5');
  });

  it('opens the selected item with Enter, and only when one is selected', () => {
    const opened: string[] = [];
    const { unmount } = render(<Harness onOpen={() => opened.push('open')} />);
    press('Enter');
    expect(opened).toEqual([]);
    press('ArrowDown');
    press('Enter');
    expect(opened).toEqual(['open']);
    unmount();
  });

  it('selects an option on click', () => {
    render(<Harness />);
    fireEvent.click(screen.getByRole('option', { name: 'Robot 3' }));
    expect(active()?.textContent).toBe('chosen');
  });

  it('says so when there is nothing to list', () => {
    render(<Harness items={[]} />);
    expect(list().textContent).toBe('No robots.');
    press('ArrowDown');
    expect(list().getAttribute('aria-activedescendant')).toBeNull();
  });
});
