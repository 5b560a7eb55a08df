import { createErrorResponse } from '@acme/http'

class MethodNotAllowedError extends Error {}

export async function POST(request: Request) {
  return new Response(null, { status: 204, headers: { 'x-seen': request.url.length.toString() } })
}

// Other methods answer an error built from constants.
export async function GET() {
  return createErrorResponse(new Error('Method not allowed'), 405)
}

export async function PUT() {
  throw new MethodNotAllowedError('PUT is not supported')
}
