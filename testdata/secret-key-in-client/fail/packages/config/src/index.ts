export const theme = { name: 'dark', clerkSecretKey: 'sk_live_hDGhVKDRRQEEH463ynHQEB56rxfCxxGgcB1L7xYGcj' } // expect: secret-key-in-client
