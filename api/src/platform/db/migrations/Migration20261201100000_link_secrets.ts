import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 20: a link's row keeps a keyed hash of its random secret and the version of the key
 * that hashed it; an email's body is dropped once sent (and kept encrypted until then).
 * Links issued before (no hash) are still checked by their old signature until they
 * expire (link-signer.ts). Sent emails lose their bodies, which hold those links; queued
 * ones keep theirs until sent, then lose them too.
 */
export class Migration20261201100000_link_secrets extends Migration {
  override name = 'Migration20261201100000_link_secrets';

  override up(): void | Promise<void> {
    this.addSql(`alter table "access_link" add column "secret_hash" varchar(64) null, add column "key_version" smallint null;`);
    this.addSql(`alter table "outbound_email" alter column "body" drop not null;`);
    this.addSql(`update "outbound_email" set "body" = null where "status" = 'sent';`);
    // The audit kept each email as written, body and link included: it now records that a body was set, never what it said.
    this.addSql(
      `update "audit_event" set "changes" = jsonb_set("changes", '{body}', '"(not recorded)"') where "entity_type" = 'OutboundEmail' and "changes" -> 'body' is not null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`update "outbound_email" set "body" = '(removed once sent)' where "body" is null;`);
    this.addSql(`alter table "outbound_email" alter column "body" set not null;`);
    this.addSql(`alter table "access_link" drop column "secret_hash", drop column "key_version";`);
  }
}
