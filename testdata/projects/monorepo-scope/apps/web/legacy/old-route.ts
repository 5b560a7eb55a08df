// Excluded by apps/web/clerk-guard.toml.
export const clerkSecretKey = 'sk_live_L3gacyExcludedKeyXq7Lm2Np9Rs5Vw8Yz'
