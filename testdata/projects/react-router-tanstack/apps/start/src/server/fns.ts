import { createMiddleware, createServerFn } from '@tanstack/react-start'
import { auth } from '@clerk/tanstack-react-start/server'

const signedIn = createMiddleware({ type: 'function' }).server(async ({ next }) => {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  return next({ context: { userId } })
})

export const myOrders = createServerFn({ method: 'GET' })
  .middleware([signedIn])
  .handler(async ({ context }) => fetch(`https://shop.example.com/orders?u=${context.userId}`).then((r) => r.json()))

export const allOrders = createServerFn().handler(async () => {
  return fetch('https://shop.example.com/orders').then((r) => r.json())
})
