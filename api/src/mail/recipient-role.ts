import { registerEnumType } from 'type-graphql';

/** A recipient's place on a note's distribution list, recorded on each email sent to them. */
export enum RecipientRole {
  HEADTEACHER = 'headteacher',
  CHAIR_OF_GOVERNORS = 'chair_of_governors',
  COUNCIL = 'council',
  OTHER = 'other',
}

registerEnumType(RecipientRole, { name: 'RecipientRole' });
