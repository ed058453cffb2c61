import { createRoot } from 'react-dom/client';
import { startSession } from '../shared/session.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import '../shared/ui/base.css';
import './teams.css';
import { connectHost } from './teams-host.js';
import { TeamsApp } from './TeamsApp.js';

const root = createRoot(document.getElementById('root')!);
Promise.all([connectHost(), startSession()]).then(
  ([host, session]) => root.render(<TeamsApp session={session} host={host} />),
  (error) => root.render(<ErrorMessage error={error} />),
);
