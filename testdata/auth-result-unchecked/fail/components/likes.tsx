import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// `/account/likes` renders this behind the middleware, but `/feed` renders it too, in the open.
export async function Likes() {
  const { userId } = await auth() // expect: auth-result-unchecked
  const likes = await db.like.findMany({ where: { userId } })
  return <ul>{likes.map((l) => <li key={l.id}>{l.title}</li>)}</ul>
}
