import { createClerkClient, verifyToken } from '@clerk/backend'
import jwt from 'jsonwebtoken'

const ORIGINS = ['https://app.example.com']
const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })

export async function userFromBearer(token: string) {
  const claims = await verifyToken(token, {
    jwtKey: process.env.CLERK_JWT_KEY,
    authorizedParties: ORIGINS,
  })
  return claims.sub
}

export async function authenticate(req: Request) {
  const state = await clerk.authenticateRequest(req, { authorizedParties: [...ORIGINS] })
  return state.toAuth()
}

// Not Clerk's: a session store and a JWT library with methods of the same names.
const sessions = { authenticateRequest: async (req: Request) => req.headers.get('cookie') }
export async function legacy(req: Request, token: string) {
  await sessions.authenticateRequest(req)
  return jwt.verify(token, process.env.JWT_SECRET!)
}
