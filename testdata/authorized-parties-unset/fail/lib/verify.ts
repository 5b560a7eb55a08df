import { createClerkClient, verifyToken } from '@clerk/backend'

const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })

export async function userFromBearer(token: string) {
  const claims = await verifyToken(token, { jwtKey: process.env.CLERK_JWT_KEY }) // expect: authorized-parties-unset
  return claims.sub
}

export async function authenticate(req: Request) {
  const state = await clerk.authenticateRequest(req, {
    authorizedParties: ['https://*.example.com'], // expect: authorized-parties-unset
  })
  return state.toAuth()
}

export async function authenticateStaging(req: Request) {
  const client = clerk
  const state = await client.authenticateRequest(req, {
    authorizedParties: ['https://example.com', 'http://staging.example.com'], // expect: authorized-parties-unset
  })
  return state.toAuth()
}

export async function authenticateEcho(req: Request) {
  const origin = new URL(req.url).origin
  const state = await clerk.authenticateRequest(req, { authorizedParties: [origin] }) // expect: authorized-parties-unset
  return state.isAuthenticated
}
