import type { ReviewOverlay, ReviewState } from './types';

/* Words and marks of the review overlay (render.ts, the webview's plan bar and the cards use them; no imports of ours). */

/** Legend text per state. */
export const REVIEW_TEXT: Record<ReviewState, string> = {
  create: 'created', update: 'updated', delete: 'deleted', repair: 'drift repaired', unchanged: 'unchanged',
  added: 'added by the change', drifted: 'drifted in the account', conflict: 'conflict', 'not-checked': 'not checked',
};

/** The states a legend lists, per mode. */
const REVIEW_LEGEND: Record<ReviewOverlay['mode'], readonly ReviewState[]> = {
  plan: ['create', 'update', 'delete', 'repair', 'unchanged'],
  diff: ['added', 'update', 'delete', 'drifted', 'conflict', 'not-checked', 'unchanged'],
};

/** The one-character mark drawn on a changed box (colour is not the only sign). */
export const REVIEW_MARK: Record<ReviewState, string> = {
  create: '+', update: '~', delete: '−', repair: '↺', unchanged: '', added: '+', drifted: '≠', conflict: '!', 'not-checked': '?',
};

/**
 * The legend's items, the same words in the CLI's picture and the panel's plan bar. Every count is
 * of resources (a plan's operations, a diff's entries), as the title counts them; "unchanged"
 * has a number only where the declared resources were known.
 */
export function reviewLegendItems(r: Pick<ReviewOverlay, 'mode' | 'counts'>): { state: ReviewState; text: string }[] {
  return REVIEW_LEGEND[r.mode].map((state) => {
    const n = r.counts[state];
    return { state, text: state === 'unchanged' && n === undefined ? REVIEW_TEXT[state] : `${REVIEW_TEXT[state]} ${n ?? 0}` };
  });
}

/** How many boxes the change colours (and chips it adds for what it removes): the bar's hover hint names them. */
export function changedBoxes(r: Pick<ReviewOverlay, 'states' | 'removed'>): number {
  return Object.values(r.states).filter((s) => s !== 'unchanged').length + r.removed.length;
}
