// Plain constants the inbox page imports as `./actions`: not a server module.
export const INBOX_ACTIONS = ['archive', 'snooze'] as const
