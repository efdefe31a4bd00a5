/**
 * Thrown by validateText (and the fast reader under it) when the caller's `interrupted` said stop;
 * never for an input. The editor's worker stops a run that a newer version made moot.
 */
export class ValidationInterrupted extends Error {
  constructor() {
    super('validation interrupted: a newer version arrived');
  }
}
