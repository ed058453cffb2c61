import { Migration } from '@mikro-orm/migrations';

/** Email delivery survives a slow mail server (issue 18): an email claimed by a sender is SENDING until its lease (next_attempt_at) lapses. */
export class Migration20261130100000_outbound_email_sending extends Migration {
  override name = 'Migration20261130100000_outbound_email_sending';

  override up(): void | Promise<void> {
    this.addSql(`alter table "outbound_email" drop constraint if exists "outbound_email_status_check";`);
    this.addSql(`alter table "outbound_email" add constraint "outbound_email_status_check" check ("status" in ('queued', 'sending', 'sent', 'failed'));`);
  }

  override down(): void | Promise<void> {
    // A claim under way goes back to the queue, due at once (at-least-once: it may be sent again).
    this.addSql(`update "outbound_email" set "status" = 'queued', "next_attempt_at" = null where "status" = 'sending';`);
    this.addSql(`alter table "outbound_email" drop constraint if exists "outbound_email_status_check";`);
    this.addSql(`alter table "outbound_email" add constraint "outbound_email_status_check" check ("status" in ('queued', 'sent', 'failed'));`);
  }
}
