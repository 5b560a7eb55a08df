import { getShopState } from '@/lib/state'

export async function POST(req: Request) { // expect: unprotected-route-handler
  const state = await getShopState(new URL(req.url).searchParams.get('slug') ?? '')
  if (state.kind !== 'live') return new Response('Not found', { status: 404 })
  return Response.json(state.shop)
}
