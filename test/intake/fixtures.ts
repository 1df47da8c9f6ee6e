// Shared fixtures for the intake tests: a valid minimal intake and a catalog that accepts any section.
import { createHash } from 'node:crypto';
import type { IntakeInput } from '../../src/core/intake/intake-schema.js';
import type { Passage } from '../../src/ports/passage.js';
import type { PassageCatalog } from '../../src/ports/retriever.js';

/** A valid intake with nothing risky in it; override fields per test. */
export function intake(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    title: 'Meeting notes summariser',
    description: 'Summarises internal meeting notes into action items for the project team.',
    businessUnit: 'Operations',
    lifecycleStage: 'pilot',
    role: 'business_user',
  euRoles: [],
    modelSource: 'third_party_api',
    domains: ['internal_productivity'],
    affectedPersons: ['employees'],
    personalData: 'none',
    decisionImpact: 'none',
    profilesPeople: false,
    interactsWithPeople: false,
    generatesContent: false,
    regions: ['EU'],
    practices: [],
    exception: 'none',
    ...overrides,
  };
}

/** A catalog in which every cited section exists (for rule logic tests independent of the corpus). */
export function permissiveCatalog(): PassageCatalog {
  return {
    findSection(source: string, section: string): Passage[] {
      const text = `Passage text of ${section}. It explains the rule.`;
      return [
        {
          chunkId: `${source}#0`,
          source,
          title: `Title of ${source}`,
          section,
          text,
          contentHash: createHash('sha256').update(text).digest('hex'),
          url: `https://example.org/${source}`,
        },
      ];
    },
    size: () => 1,
  };
}
