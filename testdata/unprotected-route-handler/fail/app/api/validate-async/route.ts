import { signupSchema } from '@/lib/signup-schema'

// An async parse may run refinements that query (is the email taken?): not a pure check.
export async function POST(request: Request) { // expect: unprotected-route-handler
  const body = await request.json()
  const result = await signupSchema.safeParseAsync(body)
  return Response.json({ ok: result.success })
}
