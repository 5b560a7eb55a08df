// t3-env: server variables are validated on the server and throw if read in the browser.
import { createEnv } from '@t3-oss/env-nextjs'
import { z } from 'zod'

export const env = createEnv({
  server: { STRIPE_SECRET_KEY: z.string() },
  client: { NEXT_PUBLIC_APP_URL: z.string() },
  runtimeEnv: {
    STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY,
    NEXT_PUBLIC_APP_URL: process.env.NEXT_PUBLIC_APP_URL,
  },
})
