import { serve } from '../../../lib/queue'

// Named like Inngest's handler, but the project's own: nothing checks the caller.
export const { GET, POST } = serve([]) // expect: unprotected-route-handler
