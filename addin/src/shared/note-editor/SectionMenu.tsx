import { Link } from '@fluentui/react-components';
import { useLayoutEffect, useRef, useState } from 'react';

interface Entry {
  id: string;
  title: string;
}

/** The sections' headings as drawn (some come and go with the note's stage): the one list the menu follows. */
const HEADINGS = '.sv-note-section > .sv-note-heading[id]';

/**
 * "Go to a section" (WCAG 2.4.1, bypass blocks): a link per section of the note, read from
 * the headings on screen, so a keyboard user reaches "Share" in a few key presses rather
 * than through every field before it. A link moves focus to its section's heading (which
 * takes focus, tabindex -1) without touching the address: the Teams tab routes on the hash.
 * The sections are read from the menu's own container (the editor's), and again whenever
 * it changes: the menu's own element is there on its first effect, where an ancestor's
 * ref is not yet.
 */
export function SectionMenu() {
  const nav = useRef<HTMLElement>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const container = () => nav.current?.parentElement ?? null;
  useLayoutEffect(() => {
    const root = container();
    if (!root) return;
    const read = () => {
      const found = [...root.querySelectorAll<HTMLElement>(HEADINGS)].map((h) => ({ id: h.id, title: h.textContent?.trim() ?? '' }));
      // Compared as text so an unchanged list does not render again.
      setEntries((had) => (JSON.stringify(had) === JSON.stringify(found) ? had : found));
    };
    read();
    // Sections come and go (reviews, targets, the headteacher's answer) and the last one is renamed with the note's stage.
    const observer = new MutationObserver(read);
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, []);
  return (
    <nav ref={nav} aria-label="Sections of the note" className="sv-section-menu" data-testid="section-menu" hidden={!entries.length}>
      <ul>
        {entries.map((e) => (
          <li key={e.id}>
            <Link
              href={`#${e.id}`}
              onClick={(event) => {
                event.preventDefault();
                const heading = container()?.querySelector<HTMLElement>(`#${CSS.escape(e.id)}`);
                heading?.focus({ preventScroll: true });
                heading?.scrollIntoView({ block: 'start' });
              }}
            >
              {e.title}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
