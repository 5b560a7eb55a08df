import { serve } from 'inngest/next'
import { inngest, recordSignup } from '@/lib/inngest'

// Inngest's SDK rejects every request to this endpoint that is not signed with the signing key.
export const { GET, POST, PUT } = serve({
  client: inngest,
  functions: [recordSignup],
})
