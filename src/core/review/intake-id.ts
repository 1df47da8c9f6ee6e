// Intake ids: `AI-` followed by six Crockford base32 characters (no I, L, O or U, so ids read
// aloud or typed from a screenshot are hard to get wrong). 30 random bits; collisions are retried
// by the service.
import { randomInt } from 'node:crypto';

export const crockfordAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const intakeIdPattern = /^AI-[0-9A-HJKMNP-TV-Z]{6}$/;

export function generateIntakeId(): string {
  let suffix = '';
  for (let index = 0; index < 6; index += 1) suffix += crockfordAlphabet[randomInt(crockfordAlphabet.length)];
  return `AI-${suffix}`;
}
