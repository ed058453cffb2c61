import { classicScript } from './vite.classic-script.js';

/** The fake Office.js as one classic script, served in place of the CDN's by the end-to-end tests. */
export default classicScript('src/outlook/fake-office.entry.ts', 'svFakeOffice', 'fake-office.js');
