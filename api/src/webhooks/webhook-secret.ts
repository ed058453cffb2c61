import { randomBytes } from 'node:crypto';
import { createBodyCipher, type BodyCipher } from '../mail/body-cipher.js';
import type { SigningKeys } from '../platform/signing-keys.js';

/**
 * A subscription's signing secret, Standard Webhooks' form: "whsec_" and the base64 of 32 random
 * bytes (the spec asks for 24 to 64). Made by the server, shown once, kept sealed with a key derived
 * from the link-signing key (as the outbox's bodies are, under a key of its own).
 */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

export const webhookSecretCipher = (keys: SigningKeys): BodyCipher => createBodyCipher(keys, 'webhook-secret');
