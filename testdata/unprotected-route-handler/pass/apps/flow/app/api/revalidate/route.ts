import { revalidatePath } from 'next/cache'

export async function POST(req: Request) {
  const secret = new URL(req.url).searchParams.get('secret')
  if (!secret || secret !== process.env.REVALIDATE_SECRET) {
    return Response.json({ message: 'Invalid secret' }, { status: 401 })
  }
  revalidatePath('/')
  return Response.json({ revalidated: true })
}
