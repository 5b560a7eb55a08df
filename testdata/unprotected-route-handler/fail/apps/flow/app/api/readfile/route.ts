import { readFileSync } from 'node:fs'

// Synchronous, but it reads the server's files: that is work.
export function GET(req: Request) { // expect: unprotected-route-handler
  const name = new URL(req.url).searchParams.get('name') ?? 'a'
  return new Response(readFileSync(`/srv/exports/${name}.csv`))
}
