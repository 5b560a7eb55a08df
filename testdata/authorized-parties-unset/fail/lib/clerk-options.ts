export const clerkOptions = {
  signInUrl: '/sign-in',
  publishableKey: process.env.CLERK_PUBLISHABLE_KEY,
}
