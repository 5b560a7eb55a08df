const cors = { 'Access-Control-Allow-Origin': 'https://example.com' }

export async function OPTIONS() {
  return new Response(null, { status: 204, headers: cors })
}
