// Every sentence the Teams door says about obligation items, re-reviews and digests, in one place
// (so it can move into a message catalogue). Values passed in must already be escaped.

export const workbenchText = {
  listTitle: 'Your obligations',
  listEmpty: 'No open obligations. Items appear here once one of your AI use cases is approved.',
  listMore: (count: number) => `…and ${count} more in the console.`,
  digestTitle: 'Obligations due',
  digestSummary: (overdue: number, dueSoon: number) =>
    [overdue > 0 ? `${overdue} overdue` : '', dueSoon > 0 ? `${dueSoon} due within 7 days` : ''].filter((part) => part !== '').join(', '),
  overdueTitle: 'Overdue',
  dueSoonTitle: 'Due within 7 days',
  updateAction: 'Update',
  saveAction: 'Save',
  statusLabel: 'Status',
  noteLabel: 'Evidence note (what was done, where the record is)',
  linkLabel: 'Evidence link',
  reasonLabel: 'Why it does not apply',
  dueLabel: 'Due date',
  ownerLabel: 'Owner (pick a person to reassign)',
  commentLabel: 'Comment for the audit trail (optional)',
  saved: (itemId: string, status: string) => `Saved: ${itemId} is now ${status}.`,
  notSaved: (itemId: string, reason: string) => `${itemId} was not changed: ${reason}`,
  itemMissing: (itemId: string) => `I could not find the obligation item ${itemId}.`,
  reviewDueHeading: (id: string, title: string) => `Re-review due: ${id}: ${title}`,
  reviewDueLead: (due: string, since: string) => `The scheduled re-review is due (${due}). Approved ${since}.`,
  previousDecision: (decision: string, by: string, comment: string) => `Until now: ${decision} by ${by}${comment}.`,
  changesTitle: 'Since the last review',
  conditionsTitle: 'Conditions',
  itemsLine: (counts: string) => `Obligation items: ${counts}`,
  noChanges: 'No item changed since the last decision.',
  ownerReviewDue: (id: string, title: string) => `Your AI use case **${id}** (${title}) is due for its scheduled re-review; the governance team will look at it again.`,
  helpLine: '- **obligations**: your open obligation items, to mark them done with evidence',
} as const;
