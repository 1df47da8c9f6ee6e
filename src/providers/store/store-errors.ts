// Errors both stores raise in the same words, so the service and the doors see one behaviour.
import { ShishinError } from '../../errors.js';

export const unavailableMessage = 'The database is unavailable; please try again shortly.';

export function unavailable(cause: unknown): ShishinError {
  return new ShishinError('unavailable', unavailableMessage, { cause });
}

/** The generated id collided with a stored one; the service retries with a fresh id. */
export function idTaken(id: string, cause: unknown): ShishinError {
  return new ShishinError('conflict', `Intake id ${id} is already taken.`, { cause, fields: [{ field: 'id', message: 'already taken' }] });
}

/** A second resubmission of the same earlier version. */
export function alreadySuperseded(previousId: string | undefined, cause: unknown): ShishinError {
  return new ShishinError('conflict', `${previousId ?? 'That intake'} already has a newer version.`, {
    cause,
    fields: [{ field: 'previousId', message: 'already superseded' }],
  });
}

export function previousMissing(previousId: string | undefined, cause: unknown): ShishinError {
  return new ShishinError('not_found', `There is no intake ${previousId ?? ''}.`.trim(), { cause });
}

export function intakeMissing(id: string): ShishinError {
  return new ShishinError('not_found', `There is no intake ${id}.`);
}

/** Compare-and-set lost: the status changed since the caller read it. */
export function statusConflict(id: string, expected: string, actual: string): ShishinError {
  return new ShishinError('conflict', `${id} changed meanwhile: it is now ${actual}, not ${expected}.`, {
    fields: [{ field: 'status', message: actual }],
  });
}

export function itemMissing(id: string): ShishinError {
  return new ShishinError('not_found', `There is no obligation item ${id}.`);
}

/** Compare-and-set on an item's revision lost: someone changed it since the caller read it. */
export function revisionConflict(id: string): ShishinError {
  return new ShishinError('conflict', `${id} was changed by someone else meanwhile; look at it again and retry.`, {
    fields: [{ field: 'revision', message: 'changed meanwhile' }],
  });
}

/** Another replica (or a decision) changed the intake before its review could be marked due. */
export function reviewConflict(id: string, actual: string): ShishinError {
  return new ShishinError('conflict', `${id} changed meanwhile: it is now ${actual}.`, { fields: [{ field: 'status', message: actual }] });
}
