// clerk-guard-ignore hardcoded-secret-key: documented e2e key of a throwaway instance
export const key = 'sk_test_J2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpY'
export const k2 = 'sk_test_lSXpfKtHF4vUCsMehGAkWvj7FAc9QeWJKY40uvSwMF' // clerk-guard-ignore secrets: same
// Mentioning clerk-guard-ignore in prose is not a suppression.
const s = 'clerk-guard-ignore x'
