import type { Outbox } from '../mail/outbox.js';
import type { CouncilContact } from '../platform/config.js';
import type { Em } from '../platform/db/orm.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import type { NoteOfVisit } from './note-of-visit.entity.js';

/** What the note workflow needs from the rest of the application (composed in app/app.ts). */
export interface NoteWorkflowDeps {
  /** The council's copy of circulated notes (note-distribution.ts, note-circulation.ts). */
  council: CouncilContact;
  /** Queues email in the writer's transaction (encrypted until sent), and is woken after the commit. */
  outbox: Pick<Outbox, 'queue' | 'kick'>;
  /**
   * Sends the headteacher their link to read and answer a shared draft, inside the sharing's
   * transaction (the school's pages do it: school-side/links.service.ts).
   */
  sendResponseLink(tx: Em, note: NoteOfVisit, now: Date): Promise<unknown>;
}

/** The GraphQL context as the notes module's resolvers read it. */
export interface NotesContext extends GraphQLContext {
  notes: NoteWorkflowDeps;
}
