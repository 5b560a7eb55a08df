// A preflight whose allowed origin is configured: it reads the environment and answers
// headers only (a browser sends a preflight without credentials).
export function OPTIONS(request: Request) {
  const origin = request.headers.get('origin')
  const allowed = process.env.ALLOWED_ORIGIN ?? ''
  return new Response(null, {
    status: 204,
    headers: { 'Access-Control-Allow-Origin': origin === allowed ? allowed : '' },
  })
}
