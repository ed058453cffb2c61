import { createRoot } from 'react-dom/client';
import { startSession } from '../shared/session.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { isDarkColour, prefersContrast, type ThemeName } from '../shared/ui/theme.js';
import '../shared/ui/base.css';
import { outlookAppointment } from './office-adapter.js';
import type { OfficeApi } from './office-api.js';
import { connectOffice } from './office-host.js';
import { TaskPaneApp } from './TaskPaneApp.js';

function themeOf(office: OfficeApi): ThemeName {
  if (prefersContrast()) return 'contrast';
  const theme = office.context.officeTheme;
  return theme?.isDarkTheme || isDarkColour(theme?.bodyBackgroundColor) ? 'dark' : 'light';
}

const root = createRoot(document.getElementById('root')!);
Promise.all([connectOffice(), startSession()]).then(
  ([office, session]) => root.render(<TaskPaneApp session={session} appointment={outlookAppointment(office)} theme={themeOf(office)} />),
  (error) => root.render(<ErrorMessage error={error} />),
);
