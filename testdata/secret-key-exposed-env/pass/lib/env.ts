export const signingSecret = process.env.CLERK_WEBHOOK_SIGNING_SECRET
