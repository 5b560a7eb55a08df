// clerk-guard-ignore hardcoded-secret-key: stale, the key was removed (expect: unused-suppression)
export const key = process.env.CLERK_SECRET_KEY

export const a = 1 // clerk-guard-ignore no-such-rule: typo (expect: unused-suppression)
export const b = 2 // clerk-guard-ignore secrets: nothing to hide (expect: unused-suppression)
