import { authMiddleware } from '@clerk/nextjs'

// A custom afterAuth replaces the default protection, and this one never redirects.
export default authMiddleware({
  afterAuth(auth, req) {
    console.log(auth.userId)
  },
})
