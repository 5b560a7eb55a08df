import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// Only `/account/likes` renders this, and the middleware protects `/account(.*)`.
export async function Likes() {
  const { userId } = await auth()
  const likes = await db.like.findMany({ where: { userId } })
  return <ul>{likes.map((l) => <li key={l.id}>{l.title}</li>)}</ul>
}
