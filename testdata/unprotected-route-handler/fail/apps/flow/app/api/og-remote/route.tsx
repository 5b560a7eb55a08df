import { ImageResponse } from 'next/og'

// The "asset" is an internal service's answer for the id in the query.
export async function GET(req: Request) { // expect: unprotected-route-handler
  const id = new URL(req.url).searchParams.get('id') ?? ''
  const profile = await fetch(`http://profiles.internal/users/${id}`).then((r) => r.json())
  return new ImageResponse(<div>{profile.email}</div>, { width: 1200, height: 630 })
}
