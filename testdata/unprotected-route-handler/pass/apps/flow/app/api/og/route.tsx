import { ImageResponse } from 'next/og'

// Renders the query into an image: no data, no secret.
export function GET(req: Request) {
  const { searchParams } = new URL(req.url)
  const title = (searchParams.get('title') ?? 'Hello').slice(0, 80).toUpperCase()
  return new ImageResponse(<div style={{ fontSize: 64 }}>{title}</div>, { width: 1200, height: 630 })
}
