import { clerkMiddleware } from '@clerk/nextjs/server'

export default clerkMiddleware({
  authorizedParties: ['https://app.example.com'],
})
