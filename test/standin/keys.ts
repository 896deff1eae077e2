/**
 * The only AWS keys the Bedrock stand-in accepts. They are shaped like real keys (so redaction and parsing code
 * meets realistic input) but belong to no account. Runtime keys model what an STS stand-in hands out.
 */
import { randomBytes } from 'node:crypto';

export interface TestKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials: a token signed with this key must carry exactly this X-Amz-Security-Token. */
  sessionToken?: string;
  /** Epoch ms after which tokens signed with this key stop working, as with real temporary credentials. */
  expiresAt?: number;
}

export const STATIC_TEST_KEY: TestKey = {
  accessKeyId: 'AKIASTANDIN000STATIC',
  secretAccessKey: 'standinStaticSecretKey0000000000000000000',
};

export const SESSION_TEST_KEY: TestKey = {
  accessKeyId: 'ASIASTANDIN00SESSION',
  secretAccessKey: 'standinSessionSecretKey000000000000000000',
  sessionToken: 'IQoJb3JpZ2luX2VjEStandinSessionToken/with+base64=chars==',
};

/** Mutable on purpose: an STS stand-in adds the keys it issues, and verifyBearerToken reads them by default. */
export const TEST_KEYS: TestKey[] = [STATIC_TEST_KEY, SESSION_TEST_KEY];

export function addTestKey(key: TestKey): TestKey {
  TEST_KEYS.push(key);
  return key;
}

export function removeTestKey(accessKeyId: string): void {
  const index = TEST_KEYS.findIndex((k) => k.accessKeyId === accessKeyId);
  if (index >= 2) TEST_KEYS.splice(index, 1); // the two built-in keys stay
}

/** A fresh temporary key set (ASIA id, secret, session token), registered so the verifier accepts it. */
export function mintSessionKey(expiresAt?: number): TestKey {
  const id = 'ASIA' + randomBytes(8).toString('hex').toUpperCase();
  return addTestKey({
    accessKeyId: id,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: 'IQoJ' + randomBytes(48).toString('base64'),
    ...(expiresAt !== undefined && { expiresAt }),
  });
}
