import { createClerkClient } from '@clerk/backend'

export const clerk = createClerkClient({
  secretKey: 'sk_live_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc', // expect: hardcoded-secret-key
})
