import { getAuth } from '@clerk/react-router/server'

export async function loader(args: { request: Request; context: unknown }) {
  const { userId } = await getAuth(args as never)
  if (!userId) throw new Response('Unauthorized', { status: 401 })
  return { userId }
}
