import { serve } from 'queue-kit/next'

// Another library's `serve`: nothing known says it checks the caller.
export const { POST } = serve({ functions: [] }) // expect: unprotected-route-handler
