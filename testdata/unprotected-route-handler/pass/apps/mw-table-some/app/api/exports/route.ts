// Not in the table, and serves nothing but a constant.
export async function GET() {
  return Response.json({ formats: ['csv', 'xlsx'] })
}
