import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122211148_initial } from './Migration20261122211148_initial.js';
import { Migration20261122214016_visit_appointment_unique } from './Migration20261122214016_visit_appointment_unique.js';
import { Migration20261122215203_note_revisions } from './Migration20261122215203_note_revisions.js';
import { Migration20261122220230_school_side } from './Migration20261122220230_school_side.js';
import { Migration20261122233000_national_scale_indexes } from './Migration20261122233000_national_scale_indexes.js';
import { Migration20261123000000_visit_page_index } from './Migration20261123000000_visit_page_index.js';
import { Migration20261123020000_open_notes_index } from './Migration20261123020000_open_notes_index.js';
import { Migration20261124110000_note_record } from './Migration20261124110000_note_record.js';
import { Migration20261124120000_note_deliveries } from './Migration20261124120000_note_deliveries.js';
import { Migration20261130000000_council_closure_days } from './Migration20261130000000_council_closure_days.js';
import { Migration20261130100000_outbound_email_sending } from './Migration20261130100000_outbound_email_sending.js';
import { Migration20261201100000_link_secrets } from './Migration20261201100000_link_secrets.js';
import { Migration20261201130000_retention } from './Migration20261201130000_retention.js';
import { Migration20261202100000_calendar_sync } from './Migration20261202100000_calendar_sync.js';
import { Migration20261203100000_domain_events } from './Migration20261203100000_domain_events.js';
import { Migration20261203110000_note_quality } from './Migration20261203110000_note_quality.js';
import { Migration20261202110000_calendar_subscriptions } from './Migration20261202110000_calendar_subscriptions.js';
import { Migration20261203120000_shadowing_feedback } from './Migration20261203120000_shadowing_feedback.js';
import { Migration20261203130000_notifications } from './Migration20261203130000_notifications.js';
import { Migration20261204110000_webhooks } from './Migration20261204110000_webhooks.js';
import { Migration20261204100000_change_feeds } from './Migration20261204100000_change_feeds.js';
import { Migration20261204120000_rate_limits } from './Migration20261204120000_rate_limits.js';

/**
 * Committed migrations, in order. Listed explicitly (not discovered from a folder)
 * so the same list runs from the compiled server and from the tests.
 */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122211148_initial', class: Migration20261122211148_initial },
  { name: 'Migration20261122214016_visit_appointment_unique', class: Migration20261122214016_visit_appointment_unique },
  { name: 'Migration20261122215203_note_revisions', class: Migration20261122215203_note_revisions },
  { name: 'Migration20261122220230_school_side', class: Migration20261122220230_school_side },
  { name: 'Migration20261122233000_national_scale_indexes', class: Migration20261122233000_national_scale_indexes },
  { name: 'Migration20261123000000_visit_page_index', class: Migration20261123000000_visit_page_index },
  { name: 'Migration20261123020000_open_notes_index', class: Migration20261123020000_open_notes_index },
  { name: 'Migration20261124110000_note_record', class: Migration20261124110000_note_record },
  { name: 'Migration20261124120000_note_deliveries', class: Migration20261124120000_note_deliveries },
  { name: 'Migration20261130000000_council_closure_days', class: Migration20261130000000_council_closure_days },
  { name: 'Migration20261130100000_outbound_email_sending', class: Migration20261130100000_outbound_email_sending },
  { name: 'Migration20261201100000_link_secrets', class: Migration20261201100000_link_secrets },
  { name: 'Migration20261201130000_retention', class: Migration20261201130000_retention },
  { name: 'Migration20261202100000_calendar_sync', class: Migration20261202100000_calendar_sync },
  { name: 'Migration20261202110000_calendar_subscriptions', class: Migration20261202110000_calendar_subscriptions },
  { name: 'Migration20261203100000_domain_events', class: Migration20261203100000_domain_events },
  { name: 'Migration20261203110000_note_quality', class: Migration20261203110000_note_quality },
  { name: 'Migration20261203120000_shadowing_feedback', class: Migration20261203120000_shadowing_feedback },
  { name: 'Migration20261203130000_notifications', class: Migration20261203130000_notifications },
  { name: 'Migration20261204110000_webhooks', class: Migration20261204110000_webhooks },
  { name: 'Migration20261204100000_change_feeds', class: Migration20261204100000_change_feeds },
  { name: 'Migration20261204120000_rate_limits', class: Migration20261204120000_rate_limits },
];
