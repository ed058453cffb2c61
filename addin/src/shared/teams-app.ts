/** The Teams app's id (its manifest.json `id`): deep links from Outlook into the Notes tab need it. */
export const TEAMS_APP_ID = '3d0b6a52-7c1e-4f4e-9a57-5c2f8e1b6d10';
/** The Notes tab's entityId in the Teams manifest. */
export const TEAMS_NOTES_ENTITY = 'notes';

/**
 * Where to write a visit's note: the Teams app's Notes tab (deep link, the visit id
 * as sub-entity) or, in development, the tab page itself.
 */
export function noteOfVisitLink(visitId: string, development: boolean): string {
  if (development) return `/addin/teams/tab.html#/notes/${encodeURIComponent(visitId)}`;
  const context = encodeURIComponent(JSON.stringify({ subEntityId: visitId }));
  return `https://teams.microsoft.com/l/entity/${TEAMS_APP_ID}/${TEAMS_NOTES_ENTITY}?context=${context}`;
}
