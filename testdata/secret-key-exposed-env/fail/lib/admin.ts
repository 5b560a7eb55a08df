export const adminSecret = process.env.NEXT_PUBLIC_CLERK_SECRET_KEY // expect: secret-key-exposed-env
