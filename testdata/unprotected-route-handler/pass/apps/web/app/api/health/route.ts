// Declared public in clerk-guard.toml.
export async function GET() {
  return Response.json({ ok: true })
}
