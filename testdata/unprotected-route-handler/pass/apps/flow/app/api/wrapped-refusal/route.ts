import { withErrorHandling } from '@acme/http'

class ApiError extends Error {
  constructor(message: string, public code: string, public traceId?: string) {
    super(message)
  }
}

// Inside a wrapper the analysis cannot see into, the handler always refuses.
export const GET = withErrorHandling(async (_req: Request, ctx: { traceId: string }) => {
  throw new ApiError('Method not allowed', 'METHOD_NOT_ALLOWED', ctx.traceId)
})
