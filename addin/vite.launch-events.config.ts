import { classicScript } from './vite.classic-script.js';

/**
 * The event-based activation handlers as one classic script (static/launch-events.js):
 * classic Outlook on Windows runs it alone in a JavaScript-only runtime, which loads no
 * modules, so it cannot be one of the main build's ES module chunks.
 */
export default classicScript('src/outlook/launch-events.entry.ts', 'svLaunchEvents', 'launch-events.js');
