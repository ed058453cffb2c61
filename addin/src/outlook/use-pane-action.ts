import { useRef, useState } from 'react';
import { ApiError, UserFacingError } from '../shared/api/api-error.js';

export type Announce = (message: string) => void;

/**
 * One change made from the pane at a time: busy while it runs, its success announced
 * (the pane's live region, WCAG 4.1.3), its failure kept for the pane to show. A stale
 * version (CONFLICT on the visit's expectedVersion) is said in words a partner can act
 * on, and the visit is loaded again so the next attempt starts from what is there now.
 */
export function usePaneAction({ announce, reload }: { announce: Announce; reload: () => void }) {
  const [state, setState] = useState<{ busy?: string; error?: unknown }>({});
  // A second press before React has re-rendered the button as busy must not start the work twice.
  const running = useRef(false);
  const run = async (label: string, work: () => Promise<string>): Promise<boolean> => {
    if (running.current) return false;
    running.current = true;
    setState({ busy: label });
    try {
      const done = await work();
      setState({});
      announce(done);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'CONFLICT' && error.extensions.currentVersion !== undefined) {
        setState({
          error: new UserFacingError(
            'This visit was changed elsewhere',
            'Someone (or Outlook, or Teams) changed this visit after the pane loaded it, so nothing was saved. The pane now shows the visit as it is: check it, then make your change again.',
            error,
          ),
        });
        reload();
      } else {
        setState({ error });
      }
      return false;
    } finally {
      running.current = false;
    }
  };
  return { busy: state.busy, error: state.error, run, clearError: () => setState((s) => ({ busy: s.busy })) };
}
