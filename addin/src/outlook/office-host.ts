import type { OfficeApi } from './office-api.js';
import { OfficeError } from './office-adapter.js';

declare global {
  interface Window {
    /** Office.js, put there by its CDN script (or the tests' fake). */
    Office?: OfficeApi;
    /** Set by the /dev/outlook page on the window that hosts the pane. */
    svSimulatedOffice?: OfficeApi;
  }
}

function simulatedByParent(): OfficeApi | null {
  try {
    return window.parent !== window ? (window.parent.svSimulatedOffice ?? null) : null;
  } catch {
    return null; // a cross-origin parent (Outlook on the web) is not ours to read
  }
}

/**
 * The Office.js to use: the development page's simulated Outlook when the pane is
 * hosted there, otherwise the Office.js that Outlook's CDN script put on the page.
 */
export async function connectOffice(): Promise<OfficeApi> {
  const simulated = simulatedByParent();
  if (simulated) return simulated;
  const office = window.Office;
  if (!office) throw new OfficeError('start the pane', 'Office.js did not load; open the pane from an Outlook appointment');
  await office.onReady();
  if (!office.context?.mailbox?.item) throw new OfficeError('find an open appointment', 'open the pane from an Outlook appointment');
  return office;
}
