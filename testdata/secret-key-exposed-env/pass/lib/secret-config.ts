// Only its type is imported by client code.
export type SecretConfig = { key: string }
export const key = process.env.CLERK_SECRET_KEY
