import { profileSchema, validateOrThrow } from '@/lib/profile-schema'

// A form's server-side check: the body against a schema, the verdict back. No data is read
// or written, so there is nothing for a session to guard.
export async function POST(request: Request) {
  const body = await request.json()
  const parsed = profileSchema.safeParse(body)
  if (!parsed.success) {
    return Response.json({ ok: false, issues: parsed.error.issues }, { status: 400 })
  }
  return Response.json({ ok: true, data: parsed.data })
}

export async function PUT(request: Request) {
  const data = validateOrThrow(profileSchema, await request.json())
  return Response.json({ ok: true, data })
}
