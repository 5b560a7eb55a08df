// Near miss: the publishable key is meant for the browser.
export const publishableKey = import.meta.env.VITE_CLERK_PUBLISHABLE_KEY
