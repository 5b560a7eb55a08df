import { clerkMiddleware } from '@clerk/nextjs/server'

const clerk = clerkMiddleware()

export async function proxy(req, ev) {
  return clerk(req, ev)
}
