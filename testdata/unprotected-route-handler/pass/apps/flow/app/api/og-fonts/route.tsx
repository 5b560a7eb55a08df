import { ImageResponse } from 'next/og'
import { cn } from '@/lib/utils'

// An Open Graph card of the query, in a font bundled with the app.
export async function GET(req: Request) {
  try {
    const font = await fetch(new URL('../../../assets/Inter.ttf', import.meta.url)).then((r) => r.arrayBuffer())
    const title = new URL(req.url).searchParams.get('title') ?? 'Hello'
    return new ImageResponse(
      <div tw={cn('flex size-full', title.length > 40 ? 'text-4xl' : 'text-6xl')}>{title}</div>,
      { width: 1200, height: 630, fonts: [{ name: 'Inter', data: font, style: 'normal' }] },
    )
  } catch {
    return new Response('Failed to generate the image', { status: 500 })
  }
}
