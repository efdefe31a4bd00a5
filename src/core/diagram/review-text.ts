import type { ReviewOverlay, ReviewState } from './types';

/* Words and marks of the review overlay (render.ts and the legend use them; no imports of ours). */

/** Legend text per state. */
export const REVIEW_TEXT: Record<ReviewState, string> = {
  create: 'created', update: 'updated', delete: 'deleted', repair: 'drift repaired', unchanged: 'unchanged',
  added: 'added by the change', drifted: 'drifted in the account', conflict: 'conflict', 'not-checked': 'not checked',
};

/** The states a legend lists, per mode. */
export const REVIEW_LEGEND: Record<ReviewOverlay['mode'], readonly ReviewState[]> = {
  plan: ['create', 'update', 'delete', 'repair', 'unchanged'],
  diff: ['added', 'update', 'delete', 'drifted', 'conflict', 'not-checked', 'unchanged'],
};

/** The one-character mark drawn on a changed box (colour is not the only sign). */
export const REVIEW_MARK: Record<ReviewState, string> = {
  create: '+', update: '~', delete: '−', repair: '↺', unchanged: '', added: '+', drifted: '≠', conflict: '!', 'not-checked': '?',
};
