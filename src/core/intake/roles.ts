// Whose duty is it? Obligations in the rules file name the roles they bind: the EU AI Act's operators
// (provider, deployer, importer, distributor) and the Japan AI Guidelines' AI business operators
// (developer, provider, business user). An intake declares its Japan role and, optionally, its EU
// roles; when it leaves the EU roles empty they follow from the Japan role and the model source.
import { euRoles, roles, type EuRole, type IntakeInput } from './intake-schema.js';

export type JapanRole = `jp_${(typeof roles)[number]}`;
export type ObligationRole = 'any' | EuRole | JapanRole;

/** Every value an obligation's `roles` list may hold. */
export const obligationRoles = ['any', ...euRoles, ...roles.map((role) => `jp_${role}` as JapanRole)] as const;

/**
 * The EU AI Act roles an intake holds: the declared ones, or, when none is declared: developers are
 * providers (they put the system into service) and deployers (they use it); AI providers are
 * providers; business users are deployers, and also providers when they build the system themselves
 * (in-house, or on a third-party API or open-source model) rather than buy a finished product.
 */
export function effectiveEuRoles(input: Pick<IntakeInput, 'role' | 'euRoles' | 'modelSource'>): EuRole[] {
  const declared = input.euRoles ?? [];
  if (declared.length > 0) return [...declared];
  const derived = new Set<EuRole>();
  if (input.role === 'developer') {
    derived.add('eu_provider');
    derived.add('eu_deployer');
  }
  if (input.role === 'provider') derived.add('eu_provider');
  if (input.role === 'business_user') derived.add('eu_deployer');
  if (input.modelSource !== 'vendor_product') derived.add('eu_provider');
  return euRoles.filter((role) => derived.has(role));
}

/** Every role the intake holds, in the vocabulary of the rules file's `roles` lists. */
export function heldRoles(input: Pick<IntakeInput, 'role' | 'euRoles' | 'modelSource'>): Set<ObligationRole> {
  return new Set<ObligationRole>(['any', `jp_${input.role}`, ...effectiveEuRoles(input)]);
}

/** True when an obligation binding `bound` applies to an intake holding `held`. */
export function bindsAny(bound: readonly ObligationRole[], held: ReadonlySet<ObligationRole>): boolean {
  return bound.some((role) => held.has(role));
}

/**
 * True when a duty the intake does not hold sits with a vendor: an EU provider's duty when the system
 * is a vendor's finished product; a Japan developer's or provider's duty whenever the model is not
 * built in-house (the API, open-source or product vendor developed it).
 */
export function vendorHolds(bound: readonly ObligationRole[], input: Pick<IntakeInput, 'modelSource'>): boolean {
  if (input.modelSource === 'in_house') return false;
  return bound.some(
    (role) => (role === 'eu_provider' && input.modelSource === 'vendor_product') || role === 'jp_developer' || role === 'jp_provider',
  );
}
