import DataLoader from 'dataloader';
import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Em } from '../platform/db/orm.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import type { ViewRoot } from '../platform/graphql/read-views.js';
import { OutboundEmail } from '../mail/outbound-email.entity.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { canSeeNote } from './note.access.js';

/** The emails that carried each note's circulations, oldest first, for a page of notes in one query. */
export function createDeliveriesLoader(em: Em): DataLoader<string, OutboundEmail[]> {
  return new DataLoader(
    async (noteIds) => {
      // One circulation's emails share a transaction (and often a millisecond): within it, the list's order.
      const rows = await em.find(
        OutboundEmail,
        { note: { $in: [...noteIds] } },
        {
          populate: ['noteRevision'],
          orderBy: [{ createdAt: 'asc' }, { noteRevision: { revision: 'asc' } }, { noteRecipient: { position: 'asc' } }, { id: 'asc' }],
        },
      );
      return noteIds.map((id) => rows.filter((r) => r.note?.id === id));
    },
    { cache: false },
  );
}

@Resolver(() => NoteOfVisit)
export class NoteDeliveryResolver {
  @FieldResolver(() => [OutboundEmail], {
    description:
      'The circulated note on its way to each recipient on the distribution list, one email per recipient and circulation, oldest first: ' +
      'QUEUED (waiting, or retrying after a failure: see attempts, lastError and nextAttemptAt), SENDING (being handed to the mail server now), SENT (sentAt), ' +
      'FAILED (gave up after the last attempt; retryEmail sends it again).',
  })
  async deliveries(@Root() note: ViewRoot<NoteOfVisit>, @Ctx() { access, loaders }: GraphQLContext) {
    // Reached only through a note the principal was allowed to see (note, visit.note, lists);
    // a service never sees a note before it is circulated, nor, then, its sends.
    if (!canSeeNote(access, note as NoteOfVisit)) return [];
    return loaders.get(createDeliveriesLoader).load(note.id);
  }
}

@Resolver(() => OutboundEmail)
export class NoteDeliveryEmailResolver {
  @FieldResolver(() => Int, { nullable: true, description: 'For a circulated note: which revision of the note this email carried.' })
  async noteRevision(@Root() email: OutboundEmail) {
    return email.noteRevision ? ((await email.noteRevision.load())?.revision ?? null) : null;
  }
}
