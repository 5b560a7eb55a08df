import { auth } from '@clerk/nextjs/server'

// Under /admin, but only the session is checked.
export async function GET() { // expect: missing-role-check
  await auth.protect()
  return Response.json({ users: 42 })
}
