import { ImageResponse } from 'next/og'
import { db } from '@/lib/db'

// A card drawn from a user row: the image carries what the database holds.
export async function GET(req: Request) { // expect: unprotected-route-handler
  const id = new URL(req.url).searchParams.get('id') ?? ''
  const font = await fetch(new URL('../../../assets/Inter.ttf', import.meta.url)).then((r) => r.arrayBuffer())
  const user = await db.user.findFirst({ where: { id } })
  return new ImageResponse(<div>{user?.email}</div>, {
    width: 1200,
    height: 630,
    fonts: [{ name: 'Inter', data: font, style: 'normal' }],
  })
}
