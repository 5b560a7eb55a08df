export const clerkOptions = {
  authorizedParties: ['https://app.example.com', 'http://localhost:3000', 'http://127.0.0.1:3000'],
  publishableKey: process.env.CLERK_PUBLISHABLE_KEY,
}
